namespace SquadAlbert.Analysis.Text;

/// <summary>
/// A string derived from an ORIGINAL string, with each of its chars tied to the original chars it came from.
/// A char with an empty origin (a space symbol, a dummy prefix) stands for no original text; it only records
/// where in the original it sits.
/// </summary>
public sealed class AlignedText
{
    private readonly int[] _starts;
    private readonly int[] _ends;

    internal AlignedText(string text, int[] starts, int[] ends)
    {
        Text = text;
        _starts = starts;
        _ends = ends;
    }

    public string Text { get; }

    public int Length => Text.Length;

    /// <summary>The original chars behind the derived char at <paramref name="index"/>.</summary>
    public CharSpan OriginOf(int index) => new(_starts[index], _ends[index]);

    /// <summary>
    /// The original chars behind derived chars [<paramref name="start"/>, <paramref name="end"/>): from the first to the
    /// last char that has text behind it. When none has, an empty span where the first one sits.
    /// </summary>
    public CharSpan ToOriginal(int start, int end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, end);
        if (start == end)
        {
            var at = start < Length ? _starts[start] : (Length > 0 ? _ends[Length - 1] : 0);
            return new CharSpan(at, at);
        }
        var first = int.MaxValue;
        var last = int.MinValue;
        for (var i = start; i < end; i++)
        {
            if (_ends[i] > _starts[i])
            {
                first = Math.Min(first, _starts[i]);
                last = Math.Max(last, _ends[i]);
            }
        }
        return first <= last ? new CharSpan(first, last) : new CharSpan(_starts[start], _starts[start]);
    }
}

/// <summary>Accumulates derived chars with their origins.</summary>
internal sealed class AlignedTextBuilder(int capacity)
{
    private readonly List<char> _text = new(capacity);
    private readonly List<int> _starts = new(capacity);
    private readonly List<int> _ends = new(capacity);

    public int Length => _text.Count;

    /// <summary>The derived chars so far; valid until the next <see cref="Append(char, CharSpan)"/>.</summary>
    public ReadOnlySpan<char> Chars => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_text);

    public char this[int index]
    {
        get => _text[index];
        set => _text[index] = value;
    }

    public void Append(char c, CharSpan origin)
    {
        _text.Add(c);
        _starts.Add(origin.Start);
        _ends.Add(origin.End);
    }

    public void Append(ReadOnlySpan<char> chars, CharSpan origin)
    {
        foreach (var c in chars)
        {
            Append(c, origin);
        }
    }

    /// <summary>Lets the last derived char (and the chars of its code point) also stand for original chars up to <paramref name="end"/>.</summary>
    public void ExtendLast(int end)
    {
        if (_text.Count == 0)
        {
            return;
        }
        var last = _text.Count - 1;
        var first = last > 0 && char.IsLowSurrogate(_text[last]) && char.IsHighSurrogate(_text[last - 1]) ? last - 1 : last;
        for (var i = first; i <= last; i++)
        {
            _ends[i] = Math.Max(_ends[i], end);
        }
    }

    public AlignedText Build() =>
        new(new string(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_text)), [.. _starts], [.. _ends]);
}
