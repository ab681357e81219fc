using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Tests.Model;

public sealed class QaPostProcessorTests
{
    // Context characters map one-to-one onto context tokens in TinyEncoders.Window.
    private const string Context = "abcdefghijklmnopqrstuvwxyz0123456789";

    private static SquadExample Example(int index) =>
        new($"q{index}", "t", Context, "question?", [], false, new SquadLocation(0, 0, index));

    /// <summary>Logits that are low everywhere except the given (token, value) pairs.</summary>
    private static float[] Logits(QaWindow window, params (int Token, float Value)[] peaks)
    {
        var logits = Enumerable.Repeat(-10f, window.Length).ToArray();
        foreach (var (token, value) in peaks)
        {
            logits[token] = value;
        }
        return logits;
    }

    [Fact]
    public void Best_span_is_cut_from_the_original_context()
    {
        var window = TinyEncoders.Window(0, 0, 2, 10, seed: 1); // context tokens are 4..13 → chars 0..9
        var output = new QaWindowOutput(window, Logits(window, (6, 5), (8, 1)), Logits(window, (8, 4), (5, 2)), null, null);

        var prediction = QaPostProcessor.Predict([Example(0)], [output])[0];

        Assert.Equal("cde", prediction.Text);
        Assert.Equal(new CharSpan(2, 5), prediction.Span);
        Assert.Equal(9, prediction.Score, 1e-6);
        Assert.Equal(6, prediction.Best!.StartToken);
        Assert.Equal(8, prediction.Best.EndToken);
    }

    [Fact]
    public void Spans_ending_before_they_start_or_longer_than_the_limit_are_skipped()
    {
        var window = TinyEncoders.Window(0, 0, 2, 20, seed: 1);
        // Best start 10; the best end 5 is before it and end 20 makes an 11-token span; end 12 is valid.
        var output = new QaWindowOutput(window, Logits(window, (10, 5)), Logits(window, (5, 9), (20, 8), (12, 1)), null, null);

        var prediction = QaPostProcessor.Predict([Example(0)], [output], new QaPostProcessingOptions(MaxAnswerTokens: 10))[0];

        Assert.Equal((10, 12), (prediction.Best!.StartToken, prediction.Best.EndToken));
        Assert.All(prediction.NBest, c => Assert.InRange(c.EndToken - c.StartToken + 1, 1, 10));
        Assert.All(prediction.NBest, c => Assert.True(c.EndToken >= c.StartToken));
    }

    [Fact]
    public void Question_and_special_tokens_are_never_answers()
    {
        var window = TinyEncoders.Window(0, 0, 2, 6, seed: 1); // 0 CLS, 1-2 question, 3 SEP, 4-9 context, 10 SEP
        var output = new QaWindowOutput(window, Logits(window, (0, 50), (1, 40), (7, 1)), Logits(window, (0, 50), (10, 40), (8, 1)), null, null);

        var prediction = QaPostProcessor.Predict([Example(0)], [output])[0];

        Assert.Equal((7, 8), (prediction.Best!.StartToken, prediction.Best.EndToken));
        Assert.All(prediction.NBest, c => Assert.Equal(TokenSource.Context, window.Sources[c.StartToken]));
        Assert.All(prediction.NBest, c => Assert.Equal(TokenSource.Context, window.Sources[c.EndToken]));
    }

    [Fact]
    public void The_best_span_is_chosen_across_windows_of_the_same_example()
    {
        var first = TinyEncoders.Window(0, 0, 2, 10, seed: 1, contextOffset: 0);
        var second = TinyEncoders.Window(0, 1, 2, 10, seed: 2, contextOffset: 8); // chars 8..17
        var outputs = new[]
        {
            new QaWindowOutput(first, Logits(first, (5, 2)), Logits(first, (6, 2)), null, null),
            new QaWindowOutput(second, Logits(second, (9, 3)), Logits(second, (11, 4)), null, null),
        };

        var prediction = QaPostProcessor.Predict([Example(0)], outputs)[0];

        Assert.Equal(1, prediction.Best!.WindowIndex);
        Assert.Equal(Context[13..16], prediction.Text);
        Assert.Equal(7, prediction.Score, 1e-6);
    }

    [Fact]
    public void N_best_probabilities_are_a_softmax_over_the_kept_scores()
    {
        var window = TinyEncoders.Window(0, 0, 1, 8, seed: 1);
        var output = new QaWindowOutput(window, Logits(window, (3, 2), (4, 1)), Logits(window, (4, 1), (5, 0)), null, null);

        var prediction = QaPostProcessor.Predict([Example(0)], [output], new QaPostProcessingOptions(NBest: 3))[0];

        Assert.Equal(3, prediction.NBest.Count);
        var scores = prediction.NBest.Select(c => c.Score).ToArray();
        Assert.Equal([3.0, 2.0, 2.0], scores);
        var normaliser = scores.Sum(s => Math.Exp(s - 3));
        Assert.Equal(1 / normaliser, prediction.Probability, 1e-12);
        Assert.Equal(1.0, prediction.NBest.Sum(c => c.Probability), 1e-12);
    }

    [Fact]
    public void An_example_without_windows_gets_an_empty_answer()
    {
        var window = TinyEncoders.Window(0, 0, 1, 4, seed: 1);
        var output = new QaWindowOutput(window, Logits(window, (3, 1)), Logits(window, (3, 1)), null, null);

        var predictions = QaPostProcessor.Predict([Example(0), Example(1)], [output]);

        Assert.Equal("", predictions[1].Text);
        Assert.Empty(predictions[1].NBest);
        Assert.Equal("q1", predictions[1].ExampleId);
    }

    /// <summary>Two windows of one example. Window 0: [CLS] start 3 + end 2 = 5, best span tokens 6..8 at 5 + 4 = 9;
    /// window 1: [CLS] 1 + 1 = 2, no span above −10 + −10. Null score = min(5, 2) = 2; null − best = 2 − 9 = −7.</summary>
    private static QaWindowOutput[] TwoWindows()
    {
        var first = TinyEncoders.Window(0, 0, 2, 10, seed: 1, contextOffset: 0); // context tokens 4..13 → chars 0..9
        var second = TinyEncoders.Window(0, 1, 2, 10, seed: 2, contextOffset: 8);
        return
        [
            new QaWindowOutput(first, Logits(first, (0, 3), (6, 5)), Logits(first, (0, 2), (8, 4)), null, null),
            new QaWindowOutput(second, Logits(second, (0, 1)), Logits(second, (0, 1)), null, null),
        ];
    }

    [Theory]
    [InlineData(-7.0, "cde")] // −7 is not above −7: the span stays (Hugging Face compares with >)
    [InlineData(-7.5, "")]
    [InlineData(0.0, "cde")]
    public void The_null_answer_wins_when_null_minus_best_span_exceeds_the_threshold(double threshold, string expected)
    {
        var prediction = QaPostProcessor.Predict([Example(0)], TwoWindows(), new QaPostProcessingOptions(NBest: 1, NullThreshold: threshold))[0];

        Assert.Equal(expected, prediction.Text);
        Assert.Equal(expected.Length == 0, prediction.IsNoAnswer);
        Assert.Equal(2.0, prediction.NullScore);
        Assert.Equal(-7.0, prediction.NullScoreDiff);
        Assert.Equal("cde", prediction.Best!.Text); // the declined span stays first in the n-best list
        // Softmax of the null score against the one kept span: e^2 / (e^2 + e^9) = 1 / (1 + e^7).
        Assert.Equal(1 / (1 + Math.Exp(7)), prediction.NoAnswerProbability, 1e-15);
        if (expected.Length == 0)
        {
            Assert.Equal((CharSpan.Empty, 2.0), (prediction.Span, prediction.Score));
            Assert.Equal(prediction.NoAnswerProbability, prediction.Probability);
        }
    }

    [Fact]
    public void SQuAD_v11_post_processing_never_abstains_but_still_reports_the_null_score()
    {
        var window = TinyEncoders.Window(0, 0, 2, 10, seed: 1);
        var output = new QaWindowOutput(window, Logits(window, (0, 50), (6, 1)), Logits(window, (0, 50), (8, 1)), null, null);

        var v11 = QaPostProcessor.Predict([Example(0)], [output], new QaPostProcessingOptions(NBest: 1))[0];
        var v20 = QaPostProcessor.Predict([Example(0)], [output], new QaPostProcessingOptions(NBest: 1, NullThreshold: 0))[0];

        Assert.Equal(("cde", 100.0, 98.0), (v11.Text, v11.NullScore, v11.NullScoreDiff!.Value));
        Assert.Equal(("", true), (v20.Text, v20.IsNoAnswer));
        Assert.Equal(1 / (1 + Math.Exp(-98)), v20.NoAnswerProbability, 1e-15);
    }

    [Fact]
    public void Without_a_valid_span_the_answer_is_empty_and_certainly_no_answer()
    {
        var window = TinyEncoders.Window(0, 0, 1, 4, seed: 1);
        // The best end comes before the best start and NBest 1 keeps only those: no valid pair.
        var output = new QaWindowOutput(window, Logits(window, (0, 1), (5, 3)), Logits(window, (0, 1), (3, 3)), null, null);

        var prediction = QaPostProcessor.Predict([Example(0)], [output], new QaPostProcessingOptions(NBest: 1, NullThreshold: 0))[0];

        Assert.Equal(("", true, 2.0, 1.0), (prediction.Text, prediction.IsNoAnswer, prediction.NullScore, prediction.NoAnswerProbability));
        Assert.Null(prediction.NullScoreDiff);
    }
}
