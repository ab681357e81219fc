using SquadAlbert.Analysis.Model;
using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Model.Onnx;
using SquadAlbert.Analysis.Tests.Model;
using SquadAlbert.Analysis.Text;
using Xunit.Abstractions;

namespace SquadAlbert.Analysis.Tests.Attribution;

public sealed class QaAttributorTests(ITestOutputHelper output)
{
    private const int PadId = 0;

    private static string Piece(int id) => $"p{id}";

    /// <summary>A window with its gold answer on context tokens 2..4 (positions 7..9 after [CLS] q q q q [SEP]).</summary>
    private static QaWindow AnsweredWindow() => TinyEncoders.Window(0, 0, 4, 10, seed: 21) with { GoldStart = 8, GoldEnd = 10 };

    private static QaCheckpoint Checkpoint(int seed = 13) => QaCheckpoint.Random(TinyEncoders.TwoGroupsTwoInner, seed, scale: 0.3f);

    [Theory]
    [InlineData(AttributionTarget.Loss)]
    [InlineData(AttributionTarget.StartLogit)]
    [InlineData(AttributionTarget.EndLogit)]
    public void Integrated_gradients_completeness_error_falls_with_the_step_count(AttributionTarget target)
    {
        using var attributor = new QaAttributor(Checkpoint(), Piece, PadId, threads: 1, elementType: OnnxElementType.DoublePrecision);
        var window = AnsweredWindow();
        var errors = new Dictionary<(IntegrationRule, int), double>();
        foreach (var rule in new[] { IntegrationRule.Trapezoid, IntegrationRule.GaussLegendre })
        {
            foreach (var steps in new[] { 2, 4, 8, 16, 32 })
            {
                var result = attributor.Attribute(window, new AttributionOptions(Target: target, Steps: steps, Rule: rule));
                var check = result.Completeness!;
                errors[(rule, steps)] = check.RelativeError;
                output.WriteLine($"{target} {rule,-13} steps {steps,2}: f(x) {check.InputValue:F6} f(x') {check.BaselineValue:F6} " +
                    $"ΣIG {check.AttributionSum:F6} abs {check.AbsoluteError:E2} rel {check.RelativeError:E2}");
                Assert.Equal(check.AttributionSum, result.Tokens.Sum(t => t.Score), 1e-9);
                Assert.Equal(check.InputValue, result.TargetValue);
            }
        }
        Assert.True(errors[(IntegrationRule.Trapezoid, 32)] < errors[(IntegrationRule.Trapezoid, 4)] / 10);
        Assert.True(errors[(IntegrationRule.GaussLegendre, 32)] < errors[(IntegrationRule.GaussLegendre, 2)]);
        // Measured on this model: trapezoid 32 ≈ 3e-4..6e-4, Gauss–Legendre 32 ≈ 1e-8 (float32 gradient rounding).
        Assert.True(errors[(IntegrationRule.Trapezoid, 32)] < 2e-3, $"trapezoid 32: {errors[(IntegrationRule.Trapezoid, 32)]:E2}");
        Assert.True(errors[(IntegrationRule.GaussLegendre, 32)] < 1e-6, $"Gauss–Legendre 32: {errors[(IntegrationRule.GaussLegendre, 32)]:E2}");
    }

    [Fact]
    public void Float32_integrated_gradients_are_complete_to_within_1e4_at_32_steps()
    {
        using var attributor = new QaAttributor(Checkpoint(), Piece, PadId, threads: 1);

        var result = attributor.Attribute(AnsweredWindow(), new AttributionOptions(Steps: 32));

        output.WriteLine(result.Completeness!.ToString());
        // Measured: 7.8e-6 with Gauss–Legendre 32 (float32 rounding dominates the quadrature error).
        Assert.True(result.Completeness.RelativeError < 1e-4, result.Completeness.ToString());
    }

    [Fact]
    public void Special_tokens_get_exactly_zero_integrated_gradients()
    {
        using var attributor = new QaAttributor(Checkpoint(), Piece, PadId, threads: 1);
        var window = AnsweredWindow();

        var result = attributor.Attribute(window, new AttributionOptions(Steps: 8));

        var specials = result.Tokens.Where(t => t.Source == TokenSource.Special).ToList();
        Assert.Equal(3, specials.Count);
        Assert.All(specials, t => Assert.Equal(0.0, t.Score));
        Assert.Contains(result.Tokens, t => t.Source != TokenSource.Special && t.Score != 0);
    }

    [Fact]
    public void Baseline_replaces_only_non_special_rows_by_the_pad_embedding()
    {
        var checkpoint = Checkpoint();
        using var attributor = new QaAttributor(checkpoint, Piece, PadId, threads: 1);
        var window = AnsweredWindow();
        var e = checkpoint.Config.EmbeddingSize;
        var table = checkpoint[checkpoint.Config.ParameterNames.WordEmbeddings].Data;

        var baseline = attributor.Baseline(window);

        for (var t = 0; t < window.Length; t++)
        {
            var id = window.Sources[t] == TokenSource.Special ? window.InputIds[t] : PadId;
            Assert.Equal(table.AsSpan(id * e, e).ToArray(), baseline.AsSpan(t * e, e).ToArray());
        }
    }

    /// <summary>A token's gradient × input score Σₖ gₜₖ xₜₖ is the directional derivative of f along x's own row t,
    /// so a central difference f(x + h·xₜ) − f(x − h·xₜ) over 2h must reproduce it.</summary>
    [Theory]
    [InlineData(AttributionTarget.Loss)]
    [InlineData(AttributionTarget.StartLogit)]
    [InlineData(AttributionTarget.EndLogit)]
    public void Gradient_times_input_scores_match_finite_differences_along_each_token(AttributionTarget target)
    {
        var checkpoint = Checkpoint();
        var window = AnsweredWindow();
        using var attributor = new QaAttributor(checkpoint, Piece, PadId, threads: 1, elementType: OnnxElementType.DoublePrecision);
        var graphTarget = (InputGradientTarget)(int)target;
        using var session = new InputGradientSession(checkpoint, threads: 1, graphTarget, OnnxElementType.DoublePrecision);

        var result = attributor.Attribute(window, new AttributionOptions(AttributionMethod.GradientTimesInput, target));

        var input = session.Embed(window);
        var e = session.EmbeddingSize;
        const double h = 1e-3;
        var scale = result.Tokens.Max(t => Math.Abs(t.Score));
        for (var t = 0; t < window.Length; t++)
        {
            var plus = (float[])input.Clone();
            var minus = (float[])input.Clone();
            for (var k = 0; k < e; k++)
            {
                plus[t * e + k] = (float)(input[t * e + k] * (1 + h));
                minus[t * e + k] = (float)(input[t * e + k] * (1 - h));
            }
            var values = session.Run(
                [new InputGradientRequest(window, plus, window.GoldStart, window.GoldEnd), new InputGradientRequest(window, minus, window.GoldStart, window.GoldEnd)]);
            var numeric = (values[0].TargetValue - values[1].TargetValue) / (2 * h);
            Assert.True(Math.Abs(numeric - result.Tokens[t].Score) < 1e-3 * scale,
                $"token {t}: finite difference {numeric:E4}, gradient × input {result.Tokens[t].Score:E4}");
        }
        Assert.Null(result.Completeness);
        Assert.Equal((null, 0), (result.Key.Rule, result.Key.Steps));
    }

    [Fact]
    public void Gradient_times_input_minus_baseline_is_zero_on_special_tokens_and_differs_from_plain_gradient_times_input()
    {
        using var attributor = new QaAttributor(Checkpoint(), Piece, PadId, threads: 1);
        var window = AnsweredWindow();

        var plain = attributor.Attribute(window, new AttributionOptions(AttributionMethod.GradientTimesInput));
        var relative = attributor.Attribute(window, new AttributionOptions(AttributionMethod.GradientTimesInputMinusBaseline));

        Assert.All(relative.Tokens.Where(t => t.Source == TokenSource.Special), t => Assert.Equal(0.0, t.Score));
        Assert.Contains(plain.Tokens, t => t.Source == TokenSource.Special && t.Score != 0);
        Assert.Equal(plain.TargetValue, relative.TargetValue);
    }

    [Fact]
    public void Predicted_positions_are_the_best_span_of_the_models_own_logits()
    {
        var checkpoint = Checkpoint();
        var window = AnsweredWindow();
        using var attributor = new QaAttributor(checkpoint, Piece, PadId, threads: 1);
        using var model = QaModelSession.FromCheckpoint(checkpoint, threads: 1);
        var logits = model.Run([window])[0];
        var expected = QaAttributor.BestSpan(window, logits.StartLogits, logits.EndLogits, 30);

        var result = attributor.Attribute(window, new AttributionOptions(Target: AttributionTarget.StartLogit, Positions: TargetPositions.Predicted, Steps: 4));

        Assert.Equal(expected, (result.StartPosition, result.EndPosition));
        Assert.Equal(logits.StartLogits[expected.Start], result.TargetValue, 1e-4);
    }

    [Fact]
    public void Best_span_stays_in_the_context_with_end_after_start_and_bounded_length()
    {
        var window = TinyEncoders.Window(0, 0, 2, 5, seed: 1); // [CLS] q q [SEP] c c c c c [SEP]
        float[] start = [9, 9, 9, 9, 1, 0, 5, 0, 0, 9];
        float[] end = [9, 9, 9, 9, 0, 4, 0, 0, 3, 9];

        Assert.Equal((6, 8), QaAttributor.BestSpan(window, start, end, maxAnswerTokens: 3));
        Assert.Equal((6, 6), QaAttributor.BestSpan(window, start, end, maxAnswerTokens: 1));
        Assert.Equal((4, 5), QaAttributor.BestSpan(window, start, [9, 9, 9, 9, 0, 9, 0, 0, 0, 9], maxAnswerTokens: 30));
    }

    [Fact]
    public void Result_carries_spans_pieces_key_and_normalised_scores()
    {
        var checkpoint = Checkpoint();
        using var attributor = new QaAttributor(checkpoint, Piece, PadId, threads: 1);
        var window = AnsweredWindow();

        var result = attributor.Attribute(window, new AttributionOptions(Steps: 6, Rule: IntegrationRule.Trapezoid));

        Assert.Equal(new AttributionKey(ModelFingerprint.Compute(checkpoint), "q0", 0, AttributionMethod.IntegratedGradients,
            AttributionTarget.Loss, TargetPositions.Gold, IntegrationRule.Trapezoid, 6), result.Key);
        Assert.Equal((8, 10), (result.StartPosition, result.EndPosition));
        Assert.Equal(window.Length, result.Tokens.Count);
        var max = result.Tokens.Max(t => Math.Abs(t.Score));
        for (var t = 0; t < window.Length; t++)
        {
            var token = result.Tokens[t];
            Assert.Equal((t, window.Sources[t], window.Spans[t], Piece(window.InputIds[t])), (token.Index, token.Source, token.Span, token.Piece));
            Assert.Equal(token.Score / max, token.NormalizedScore, 1e-15);
        }
        Assert.Equal(1.0, result.Tokens.Max(t => Math.Abs(t.NormalizedScore)), 1e-15);
    }

    [Fact]
    public void Json_round_trip_keeps_every_field()
    {
        using var attributor = new QaAttributor(Checkpoint(), Piece, PadId, threads: 1);
        var result = attributor.Attribute(AnsweredWindow(), new AttributionOptions(Target: AttributionTarget.EndLogit, Steps: 4));

        var json = result.ToJson();
        var back = QaAttribution.FromJson(json, "cache.json");

        Assert.Equal(result.Key, back.Key);
        Assert.Equal(result.Completeness, back.Completeness);
        Assert.Equal(result.Tokens, back.Tokens);
        Assert.Equal((result.StartPosition, result.EndPosition, result.TargetValue), (back.StartPosition, back.EndPosition, back.TargetValue));
        Assert.Equal(json, back.ToJson());
        Assert.Contains("\"EndLogit\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_is_an_input_error_naming_the_source()
    {
        var error = Assert.Throws<InputException>(() => QaAttribution.FromJson("{\"Key\": 3}", "cache/x.json"));

        Assert.StartsWith("cache/x.json: invalid attribution JSON at $.Key", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing", Assert.Throws<InputException>(() => QaAttribution.FromJson("{}", "y.json")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_fingerprint_is_stable_and_tells_models_apart()
    {
        Assert.Equal(ModelFingerprint.Compute(Checkpoint(1)), ModelFingerprint.Compute(Checkpoint(1)));
        Assert.NotEqual(ModelFingerprint.Compute(Checkpoint(1)), ModelFingerprint.Compute(Checkpoint(2)));
    }

    [Fact]
    public void Key_value_is_one_stable_line()
    {
        var key = new AttributionKey("abc", "q7", 1, AttributionMethod.IntegratedGradients, AttributionTarget.StartLogit,
            TargetPositions.Predicted, IntegrationRule.GaussLegendre, 32);

        Assert.Equal("abc|q7|1|IntegratedGradients|StartLogit|Predicted|GaussLegendre|32", key.Value);
    }

    [Fact]
    public void A_cancelled_attribution_stops_with_operation_cancelled()
    {
        using var attributor = new QaAttributor(Checkpoint(), Piece, PadId, threads: 1);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => attributor.Attribute(AnsweredWindow(), new AttributionOptions(BatchSize: 2), cancelled.Token));
    }
}
