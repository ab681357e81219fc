using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.Tests.Runs;

namespace SquadAlbert.Analysis.Tests.Review;

/// <summary>A finished run of the analysis fixture (or another SQuAD file) by a tiny random model in its own database,
/// shared by the tests of one class (xunit class fixture).</summary>
public sealed class AnalysedRun
{
    public AnalysedRun()
        : this(RunFixture.DataFile)
    {
    }

    internal AnalysedRun(string dataFile)
    {
        DataFile = dataFile;
        Database = RunFixture.NewDatabase();
        ModelFolder = RunFixture.ModelFolder(seed: 3);
        var request = new AnalysisRequest(ModelFolder, PopulationPresets.Dev(SquadLoader.Load(dataFile)), [dataFile], RunFixture.Settings, Force: false, Threads: 1);
        RunId = AnalysisRunner.Run(Database, request).RunId;
    }

    public string DataFile { get; }

    public SqliteConnectionFactory Database { get; }

    public string ModelFolder { get; }

    public long RunId { get; }
}

/// <summary>A run of <c>astral.json</c>, whose context has two characters outside the BMP before the answer.</summary>
public sealed class AstralRun()
{
    public AnalysedRun Run { get; } = new(TestPaths.Fixture(Path.Combine("squad", "astral.json")));
}
