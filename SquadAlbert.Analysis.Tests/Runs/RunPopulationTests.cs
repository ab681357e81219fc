using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Analysis.Tests.Runs;

public sealed class RunPopulationTests
{
    [Fact]
    public void Unanswerable_questions_are_refused_before_a_run_exists()
    {
        var database = RunFixture.NewDatabase();
        var file = TestPaths.Fixture(Path.Combine("squad", "valid-v2.0.json"));
        var request = new AnalysisRequest(RunFixture.ModelFolder(seed: 1), PopulationPresets.Dev(SquadLoader.Load(file)), [file], RunFixture.Settings, Threads: 1);

        var error = Assert.Throws<InputException>(() => AnalysisRunner.Run(database, request));

        Assert.Contains("valid-v2.0.json: question 'g-1' (article 0, paragraph 0, question 1, title 'Gamma') has no gold answer (is_impossible: true)",
            error.Message, StringComparison.Ordinal);
        Assert.Contains("1 of the 2 questions have none", error.Message, StringComparison.Ordinal);
        Assert.Empty(new RunStore(database).All());
    }
}
