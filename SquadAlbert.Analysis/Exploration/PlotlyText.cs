using System.Buffers;

namespace SquadAlbert.Analysis.Exploration;

/// <summary>
/// Text for any label Plotly draws: trace and legend names, category (tick) labels, titles, hover labels, annotations.
/// Plotly renders its own subset of HTML in them (<c>&lt;a href&gt;</c> becomes a live link, <c>&lt;span style&gt;</c>
/// is applied, <c>&lt;br&gt;</c> breaks the line) and decodes entities, so text from a dataset or a user must reach it
/// through <see cref="Escape"/> to be shown as typed.
/// </summary>
public static class PlotlyText
{
    private static readonly SearchValues<char> Markup = SearchValues.Create("<>&");

    /// <summary>
    /// <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> as entities, nothing else: Plotly decodes only a few named entities
    /// (<c>&amp;quot;</c> is not one of them and would be shown literally), and quotes are harmless once no tag can open.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny(Markup) < 0)
        {
            return text;
        }
        return text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
    }

    /// <summary><see cref="Escape"/> for an optional label.</summary>
    public static string? EscapeOrNull(string? text) => text is null ? null : Escape(text);
}
