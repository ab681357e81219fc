using SquadAlbert.Analysis.Model;

namespace SquadAlbert.Analysis.Tests.Model;

public sealed class EncoderFlopsTests
{
    [Fact]
    public void Counts_every_matrix_product_of_the_forward_pass()
    {
        // s=10, e=8, h=16, f=24, 3 layers: mapping 2·10·8·16 = 2560; per layer 8·10·256 + 4·100·16 + 4·10·16·24
        // = 20480 + 6400 + 15360 = 42240; head 2·10·16·2 = 640.
        Assert.Equal(2560 + 3 * 42240 + 640, EncoderFlops.ForwardPerSequence(TinyEncoders.SharedOneGroup, 10));
    }

    [Fact]
    public void Inner_layers_of_a_group_each_count_at_every_repetition()
    {
        var one = TinyEncoders.TwoGroupsTwoInner with { InnerGroupNum = 1 };
        var perLayer = EncoderFlops.ForwardPerSequence(TinyEncoders.TwoGroupsTwoInner, 10) - EncoderFlops.ForwardPerSequence(one, 10);

        Assert.Equal(4 * 42240, perLayer);
    }
}
