using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Attribution;

public enum AttributionMethod
{
    /// <summary>Integrated gradients from the PAD baseline (see <see cref="QaAttributor"/>).</summary>
    IntegratedGradients,

    /// <summary>Gradient at the input times the input embedding.</summary>
    GradientTimesInput,

    /// <summary>Gradient at the input times (input − baseline embedding): a one-point estimate of integrated gradients.</summary>
    GradientTimesInputMinusBaseline,
}

/// <summary>The scalar whose input attribution is computed.</summary>
public enum AttributionTarget
{
    /// <summary>The QA training loss (mean start/end cross-entropy): a positive score means the token raises the loss.</summary>
    Loss,

    /// <summary>The start logit at the target start position.</summary>
    StartLogit,

    /// <summary>The end logit at the target end position.</summary>
    EndLogit,
}

/// <summary>Where the target positions come from.</summary>
public enum TargetPositions
{
    /// <summary>The window's gold span (the [CLS] index 0 when the answer is not inside the window, as in training).</summary>
    Gold,

    /// <summary>The model's best span in the window at the input (context tokens, end ≥ start, bounded length).</summary>
    Predicted,
}

/// <summary>Identifies one attribution for caching: equal keys mean equal results.</summary>
/// <param name="Rule">The integration rule; null for the gradient × input methods.</param>
/// <param name="Steps">Integration steps; 0 for the gradient × input methods.</param>
public sealed record AttributionKey(
    string ModelHash, string ExampleId, int WindowIndex, AttributionMethod Method, AttributionTarget Target,
    TargetPositions Positions, IntegrationRule? Rule, int Steps)
{
    /// <summary>A stable single-line form, e.g. for a cache table's primary key or a file name.</summary>
    public string Value => string.Join('|',
        ModelHash, ExampleId, WindowIndex.ToString(CultureInfo.InvariantCulture), Method, Target, Positions, Rule,
        Steps.ToString(CultureInfo.InvariantCulture));
}

/// <summary>One token's attribution.</summary>
/// <param name="Span">Characters in the ORIGINAL question (Question tokens) or context (Context tokens); empty for special tokens.</param>
/// <param name="Score">The raw signed score: the token's attributions summed over the embedding dimension.</param>
/// <param name="NormalizedScore">For display: <paramref name="Score"/> / max |score| of the window, in [−1, 1].</param>
public sealed record TokenAttribution(int Index, TokenSource Source, CharSpan Span, string Piece, double Score, double NormalizedScore);

/// <summary>Token attributions of one window for one target.</summary>
/// <param name="StartPosition">The start position the target used (gold or predicted).</param>
/// <param name="TargetValue">f(x): the target at the input.</param>
/// <param name="Completeness">Integrated gradients only; null for the gradient × input methods.</param>
public sealed record QaAttribution(
    AttributionKey Key, int StartPosition, int EndPosition, double TargetValue, IReadOnlyList<TokenAttribution> Tokens,
    CompletenessCheck? Completeness)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads <see cref="ToJson"/>'s output; <paramref name="source"/> names where it came from in errors.</summary>
    public static QaAttribution FromJson(string json, string source)
    {
        try
        {
            var result = JsonSerializer.Deserialize<QaAttribution>(json, Json);
            if (result?.Key is null || result.Tokens is null)
            {
                throw new InputException($"{source}: not an attribution (missing 'Key' or 'Tokens').");
            }
            return result;
        }
        catch (JsonException ex)
        {
            throw new InputException($"{source}: invalid attribution JSON at {ex.Path} (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }
    }
}
