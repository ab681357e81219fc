using System.Globalization;
using SquadAlbert.Analysis.Review;

namespace SquadAlbert.Dashboard.Features.Samples;

/// <summary>How a text segment looks: CSS classes for the gold / prediction marks and a diverging background for its
/// attribution (red: the token raises the target, blue: it lowers it; the stronger, the more opaque).</summary>
public static class SegmentStyle
{
    /// <summary>RGB of the positive end of the scale.</summary>
    public const string Positive = "214, 39, 40";

    /// <summary>RGB of the negative end of the scale.</summary>
    public const string Negative = "31, 119, 180";

    private const double MaxOpacity = 0.85;

    public static string Classes(TextSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var classes = new List<string> { segment.IsToken ? "seg tok" : "seg" };
        if (segment.IsOverlap)
        {
            classes.Add("overlap");
        }
        else if (segment.InGold)
        {
            classes.Add("gold");
        }
        else if (segment.InPrediction)
        {
            classes.Add("pred");
        }
        return string.Join(' ', classes);
    }

    public static string? Background(double? score)
    {
        if (score is not { } s || !double.IsFinite(s) || s == 0)
        {
            return null;
        }
        var opacity = Math.Round(Math.Min(1, Math.Abs(s)) * MaxOpacity, 3);
        return string.Create(CultureInfo.InvariantCulture, $"background-color: rgba({(s > 0 ? Positive : Negative)}, {opacity});");
    }

    /// <summary>The hover text of a token: its attribution, when it has one.</summary>
    public static string? Title(TextSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return segment.Score is { } s ? string.Create(CultureInfo.InvariantCulture, $"attribution {s:+0.000;-0.000;0}") : null;
    }

    /// <summary>The legend's gradient: −1 (negative colour) through 0 (transparent) to +1 (positive colour).</summary>
    public static string LegendGradient => string.Create(CultureInfo.InvariantCulture,
        $"background: linear-gradient(to right, rgba({Negative}, {MaxOpacity}), rgba({Negative}, 0) 50%, rgba({Positive}, 0) 50%, rgba({Positive}, {MaxOpacity}));");
}
