using SquadAlbert.Analysis.Model.Checkpoint;

namespace SquadAlbert.Analysis.Model;

/// <summary>Multiply-add work of the ALBERT QA forward pass (2 FLOPs per multiply-add; matrix products only, the
/// element-wise ops are a few percent and not counted — the usual convention for utilisation figures).</summary>
public static class EncoderFlops
{
    public static double ForwardPerSequence(EncoderConfig config, int sequenceLength)
    {
        ArgumentNullException.ThrowIfNull(config);
        double s = sequenceLength, e = config.EmbeddingSize, h = config.HiddenSize, f = config.IntermediateSize;
        var mapping = 2 * s * e * h;
        var projections = 4 * 2 * s * h * h;           // query, key, value, attention output
        var attention = 2 * 2 * s * s * h;             // q·kᵀ and probs·v over all heads
        var feedForward = 2 * 2 * s * h * f;           // ffn and ffn_output
        var layers = (double)config.NumHiddenLayers * config.InnerGroupNum;
        var head = 2 * s * h * 2;
        return mapping + layers * (projections + attention + feedForward) + head;
    }
}
