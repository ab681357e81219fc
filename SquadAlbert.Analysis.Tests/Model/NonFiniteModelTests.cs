using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Tests.Runs;

namespace SquadAlbert.Analysis.Tests.Model;

/// <summary>NaN or infinite weights, and finite weights whose logits overflow, stop with a clear error before anything is
/// stored: no garbage answers, no run that cannot be finished.</summary>
public sealed class NonFiniteModelTests
{
    private const string Poisoned = "albert.encoder.albert_layer_groups.0.albert_layers.0.attention.query.weight";

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    public void A_checkpoint_with_a_non_finite_weight_is_refused_naming_the_tensor_and_position(float bad, string shown)
    {
        var folder = RunFixture.ModelFolderWith(seed: 1, tensors =>
        {
            var data = tensors[Poisoned].Data;
            data[1 * 16 + 5] = bad;
            data[^1] = bad;
        });

        var error = Assert.Throws<InputException>(() => QaCheckpoint.Load(folder));

        Assert.Contains(Path.Combine(folder, QaCheckpoint.WeightsFileName), error.Message, StringComparison.Ordinal);
        Assert.Contains($"tensor '{Poisoned}' [16, 16] holds 2 non-finite value(s), the first {shown} at [1, 5]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_with_NaN_weights_fails_before_a_run_exists()
    {
        var database = RunFixture.NewDatabase();
        var folder = RunFixture.ModelFolderWith(seed: 1, tensors => tensors[Poisoned].Data[0] = float.NaN);

        var error = Assert.Throws<InputException>(() => AnalysisRunner.Run(database, RunFixture.Request(folder)));

        Assert.Contains(Poisoned, error.Message, StringComparison.Ordinal);
        Assert.Empty(new RunStore(database).All());
    }

    [Fact]
    public void Logits_that_overflow_name_the_question_and_window_and_leave_no_run()
    {
        // Finite weights, but a QA head so large that every logit overflows float32.
        var folder = RunFixture.ModelFolderWith(seed: 1, tensors =>
        {
            Array.Fill(tensors[$"{EncoderParameterNames.QaOutputs}.weight"].Data, 3e38f);
            Array.Fill(tensors[$"{EncoderParameterNames.QaOutputs}.bias"].Data, 3e38f);
        });
        var examples = SquadLoader.Load(RunFixture.DataFile).Examples;
        using var pipeline = QaPipeline.Open(folder, RunFixture.Settings.Featurizer, threads: 1);
        var database = RunFixture.NewDatabase();

        var answering = Assert.Throws<InputException>(() => pipeline.Answer(examples, new QaRunOptions(4), RunFixture.Settings.PostProcessing));
        var analysing = Assert.Throws<InputException>(() => AnalysisRunner.Run(database, RunFixture.Request(folder)));

        Assert.Matches(@"output '(start|end)_logits' is (-?Infinity|NaN) for question '[a-z]+-\d+', window \d+, position \d+", answering.Message);
        // The first batch holds the first three questions.
        Assert.Matches(@"for question 'n-[123]', window \d+", analysing.Message);
        Assert.Empty(new RunStore(database).All());
    }
}
