using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Tests.Model;

namespace SquadAlbert.Analysis.Tests.Runs;

public sealed class SampleAnalyzerTests
{
    private static QaWindowOutput Output(int windowIndex, int goldStart, int goldEnd)
    {
        // [CLS] q q [SEP] c0..c9 [SEP]: context tokens are 4..13.
        var window = TinyEncoders.Window(0, windowIndex, 2, 10, seed: windowIndex) with { GoldStart = goldStart, GoldEnd = goldEnd };
        return new QaWindowOutput(window, new float[window.Length], new float[window.Length], null, null);
    }

    [Fact]
    public void The_loss_window_is_the_one_where_the_answer_is_most_centred()
    {
        // Window 0: margins 4..5 -> min(1, 8) = 1; window 1: 8..9 -> min(4, 4) = 4; window 2: 11..12 -> min(7, 1) = 1.
        var windows = new[] { Output(0, 5, 6), Output(1, 8, 9), Output(2, 11, 12) };

        var (chosen, onCls) = SampleAnalyzer.ChooseLossWindow(windows);

        Assert.Equal(1, chosen.Window.WindowIndex);
        Assert.False(onCls);
    }

    [Fact]
    public void Ties_go_to_the_earlier_window()
    {
        var (chosen, _) = SampleAnalyzer.ChooseLossWindow([Output(0, 6, 7), Output(1, 6, 7)]);

        Assert.Equal(0, chosen.Window.WindowIndex);
    }

    [Fact]
    public void Without_a_window_holding_the_answer_the_loss_targets_cls_of_window_0()
    {
        var (chosen, onCls) = SampleAnalyzer.ChooseLossWindow([Output(0, 0, 0), Output(1, 0, 0)]);

        Assert.Equal(0, chosen.Window.WindowIndex);
        Assert.True(onCls);
    }
}
