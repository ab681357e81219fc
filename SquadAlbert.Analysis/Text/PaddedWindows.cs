namespace SquadAlbert.Analysis.Text;

/// <summary>
/// A batch of <see cref="QaWindow"/>s right-padded to the longest one, as the int64 [rows, width] arrays a model takes:
/// padding has id 0 (ALBERT's &lt;pad&gt;), token type 0 and attention mask 0. Right padding is what the graphs'
/// context pooling assumes, so every runner pads through here.
/// </summary>
public sealed record PaddedWindows(long[] InputIds, long[] TokenTypeIds, long[] AttentionMask, int Rows, int Width)
{
    public long[] Shape => [Rows, Width];

    public static PaddedWindows Pad(IReadOnlyList<QaWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0)
        {
            throw new ArgumentException("a batch needs at least one window", nameof(windows));
        }
        var width = windows.Max(w => w.Length);
        var ids = new long[windows.Count * width];
        var types = new long[ids.Length];
        var mask = new long[ids.Length];
        for (var row = 0; row < windows.Count; row++)
        {
            var window = windows[row];
            if (window.TokenTypeIds.Length != window.Length)
            {
                throw new ArgumentException($"window {window.ExampleId}#{window.WindowIndex}: {window.TokenTypeIds.Length} token types for {window.Length} ids.", nameof(windows));
            }
            for (var t = 0; t < window.Length; t++)
            {
                ids[row * width + t] = window.InputIds[t];
                types[row * width + t] = window.TokenTypeIds[t];
                mask[row * width + t] = 1;
            }
        }
        return new PaddedWindows(ids, types, mask, windows.Count, width);
    }
}
