using System.Text.Json.Serialization;

namespace SquadAlbert.Analysis.Model.Inference;

/// <summary>
/// The arithmetic of the forward graph built from a checkpoint. It changes a run's answers slightly, so it is part of
/// <see cref="Runs.AnalysisSettings"/>; stored as <c>"fp32"</c> or <c>"int8"</c> (the command-line spelling).
/// </summary>
// "Int8" names the precision users type (--precision int8), not the CLR type: CA1720 does not apply.
#pragma warning disable CA1720
[JsonConverter(typeof(JsonStringEnumConverter<InferencePrecision>))]
public enum InferencePrecision
{
    /// <summary>Float32 throughout: the reference.</summary>
    [JsonStringEnumMemberName("fp32")]
    Fp32,

    /// <summary>
    /// The encoder's large matrix products (attention projections, feed-forward) in 8-bit integers: weights quantised per
    /// output channel when the graph is built, activations per call (<see cref="Onnx.Int8WeightQuantizer"/>); embeddings,
    /// LayerNorm, softmax, the attention scores and the QA head stay float32.
    /// </summary>
    [JsonStringEnumMemberName("int8")]
    Int8,
}

/// <summary>The command-line names of <see cref="InferencePrecision"/>.</summary>
public static class InferencePrecisionNames
{
    /// <summary>The name of <see cref="InferencePrecision.Fp32"/>.</summary>
    public const string Fp32 = "fp32";

    /// <summary>The name of <see cref="InferencePrecision.Int8"/>.</summary>
    public const string Int8 = "int8";

    /// <summary>Every name, in the order a help text lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Fp32, Int8];

    /// <summary>The name of <paramref name="precision"/>: <c>fp32</c> or <c>int8</c>.</summary>
    public static string Name(this InferencePrecision precision) => precision switch
    {
        InferencePrecision.Fp32 => Fp32,
        InferencePrecision.Int8 => Int8,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown precision"),
    };

    /// <exception cref="InputException"><paramref name="name"/> is neither <c>fp32</c> nor <c>int8</c>.</exception>
    public static InferencePrecision Parse(string name) => name switch
    {
        Fp32 => InferencePrecision.Fp32,
        Int8 => InferencePrecision.Int8,
        _ => throw new InputException($"--precision: '{name}' is not one of {string.Join(", ", All)}."),
    };
}
#pragma warning restore CA1720
