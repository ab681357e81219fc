using System.Text.RegularExpressions;

namespace SquadAlbert.Analysis.WhatIf;

/// <summary>Whether a piece of a <see cref="WordDiff"/> is in both texts, only the edited one or only the original.</summary>
public enum DiffKind
{
    Same,
    Added,
    Removed,
}

/// <summary>A run of words (with the whitespace after each) of one kind.</summary>
public sealed record DiffPiece(DiffKind Kind, string Text);

/// <summary>A word-level diff (longest common subsequence of words after the common prefix and suffix are cut off), for
/// showing what an edit changed. Whitespace travels with the word before it and does not count as a change by itself.</summary>
public static partial class WordDiff
{
    /// <summary>Above this many words in the changed middle of both texts the middle is shown as one removal and one addition.</summary>
    public const int MaxMiddleCells = 4_000_000;

    public static IReadOnlyList<DiffPiece> Of(string original, string edited)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(edited);
        var a = Words(original);
        var b = Words(edited);
        var prefix = 0;
        while (prefix < a.Count && prefix < b.Count && a[prefix].Trim() == b[prefix].Trim())
        {
            prefix++;
        }
        var suffix = 0;
        while (suffix < a.Count - prefix && suffix < b.Count - prefix && a[^(suffix + 1)].Trim() == b[^(suffix + 1)].Trim())
        {
            suffix++;
        }
        var pieces = new List<DiffPiece>();
        void Add(DiffKind kind, string text)
        {
            if (text.Length == 0)
            {
                return;
            }
            if (pieces.Count > 0 && pieces[^1].Kind == kind)
            {
                pieces[^1] = pieces[^1] with { Text = pieces[^1].Text + text };
            }
            else
            {
                pieces.Add(new DiffPiece(kind, text));
            }
        }
        for (var i = 0; i < prefix; i++)
        {
            Add(DiffKind.Same, b[i]);
        }
        var am = a.Skip(prefix).Take(a.Count - prefix - suffix).ToList();
        var bm = b.Skip(prefix).Take(b.Count - prefix - suffix).ToList();
        if ((long)am.Count * bm.Count > MaxMiddleCells)
        {
            Add(DiffKind.Removed, string.Concat(am));
            Add(DiffKind.Added, string.Concat(bm));
        }
        else
        {
            var lcs = new int[am.Count + 1, bm.Count + 1];
            for (var i = am.Count - 1; i >= 0; i--)
            {
                for (var j = bm.Count - 1; j >= 0; j--)
                {
                    lcs[i, j] = am[i].Trim() == bm[j].Trim() ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
                }
            }
            int x = 0, y = 0;
            while (x < am.Count || y < bm.Count)
            {
                if (x < am.Count && y < bm.Count && am[x].Trim() == bm[y].Trim())
                {
                    Add(DiffKind.Same, bm[y]);
                    (x, y) = (x + 1, y + 1);
                }
                else if (x < am.Count && (y == bm.Count || lcs[x + 1, y] >= lcs[x, y + 1]))
                {
                    Add(DiffKind.Removed, am[x++]);
                }
                else
                {
                    Add(DiffKind.Added, bm[y++]);
                }
            }
        }
        for (var i = b.Count - suffix; i < b.Count; i++)
        {
            Add(DiffKind.Same, b[i]);
        }
        return pieces;
    }

    /// <summary>True when the texts differ in more than whitespace.</summary>
    public static bool Changed(string original, string edited) => Of(original, edited).Any(p => p.Kind != DiffKind.Same);

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var leading = LeadingSpace().Match(text).Length;
        if (leading > 0)
        {
            words.Add(text[..leading]);
        }
        foreach (Match match in WordWithSpace().Matches(text, leading))
        {
            words.Add(match.Value);
        }
        return words;
    }

    [GeneratedRegex(@"^\s+")]
    private static partial Regex LeadingSpace();

    [GeneratedRegex(@"\S+\s*")]
    private static partial Regex WordWithSpace();
}
