using System.Text.Json.Nodes;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Tests.Model;

namespace SquadAlbert.Analysis.Tests.Review;

public sealed class RunDataCheckTests(AnalysedRun run) : IClassFixture<AnalysedRun>
{
    [Fact]
    public void The_files_the_run_analysed_pass()
    {
        var samples = new RunSampleReader(run.Database).All(run.RunId);

        Assert.Null(RunDataCheck.Changed(run.RunId, samples, [run.DataFile]));
    }

    [Fact]
    public void An_edited_context_is_named_by_file_question_and_position()
    {
        var samples = new RunSampleReader(run.Database).All(run.RunId);
        var edited = Edited(document =>
        {
            var paragraph = document["data"]![1]!["paragraphs"]![0]!;
            paragraph["context"] = paragraph["context"]!.GetValue<string>() + " More text.";
        });

        var changed = RunDataCheck.Changed(run.RunId, samples, [edited]);

        Assert.NotNull(changed);
        Assert.Contains($"The data changed since run {run.RunId} was analysed: {edited}: question 'c-1' (article 1, paragraph 0, question 0) has another context",
            changed, StringComparison.Ordinal);
        Assert.Contains("3 of its 12 questions differ", changed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_question_and_an_edited_answer_count()
    {
        var samples = new RunSampleReader(run.Database).All(run.RunId);
        var edited = Edited(document =>
        {
            var qas = document["data"]![2]!["paragraphs"]![0]!["qas"]!.AsArray();
            qas.RemoveAt(0);
            qas[0]!["answers"]!.AsArray().RemoveAt(qas[0]!["answers"]!.AsArray().Count - 1);
        });

        var changed = RunDataCheck.Changed(run.RunId, samples, [edited]);

        Assert.NotNull(changed);
        Assert.Contains("question 'w-1'", changed, StringComparison.Ordinal);
        Assert.Contains("is in none of the run's data files", changed, StringComparison.Ordinal);
        Assert.Contains("2 of its 12 questions differ", changed, StringComparison.Ordinal);
    }

    private string Edited(Action<JsonNode> edit)
    {
        var document = JsonNode.Parse(File.ReadAllText(run.DataFile))!;
        edit(document);
        var path = Path.Combine(TinyEncoders.TempDirectory(), "edited-v1.1.json");
        File.WriteAllText(path, document.ToJsonString());
        return path;
    }
}
