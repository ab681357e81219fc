using SquadAlbert.Dashboard.Hosting;
using Microsoft.Extensions.Configuration;
using SquadAlbert.Dashboard.Features.Datasets;

namespace SquadAlbert.Dashboard.Tests.Features.Datasets;

/// <summary>A temporary data folder and a catalog that reads only it (the process environment is ignored).</summary>
internal sealed class DataFolderFixture : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("squad-albert-dashboard-").FullName;

    public DatasetCatalog Catalog => CatalogFor(Folder);

    public static DatasetCatalog CatalogFor(string folder) =>
        new(SquadAlbertSettings.Resolved(new SquadAlbertSettings { DataDirectory = folder }, folder), readEnvironment: _ => null);

    public string Write(string fileName, string json)
    {
        var path = Path.Combine(Folder, fileName);
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>Two questions of one paragraph; the second answer is not at its answer_start.</summary>
    public const string OneBadAnswer = """
        {"version": "1.1", "data": [{"title": "Tiny", "paragraphs": [{"context": "Paris is the capital of France.",
          "qas": [
            {"id": "q1", "question": "What is the capital of France?", "answers": [{"text": "Paris", "answer_start": 0}]},
            {"id": "q2", "question": "Which country?", "answers": [{"text": "France", "answer_start": 3}]}
          ]}]}]}
        """;

    public const string Clean = """
        {"version": "1.1", "data": [{"title": "Tiny", "paragraphs": [{"context": "Paris is the capital of France.",
          "qas": [{"id": "q1", "question": "What is the capital of France?", "answers": [{"text": "Paris", "answer_start": 0}]}]}]}]}
        """;
}
