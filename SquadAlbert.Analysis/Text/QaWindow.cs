namespace SquadAlbert.Analysis.Text;

/// <summary>A character range in an ORIGINAL string (question or context): start inclusive, end exclusive.</summary>
public readonly record struct CharSpan(int Start, int End)
{
    public int Length => End - Start;

    public static CharSpan Empty => default;
}

/// <summary>Which part of the model input a token belongs to.</summary>
public enum TokenSource : byte
{
    /// <summary>[CLS], [SEP] and other control symbols: no text behind them.</summary>
    Special,
    Question,
    Context,
}

/// <summary>
/// One model input: <c>[CLS] question [SEP] context-window [SEP]</c>, unpadded (runners pad per batch).
/// A long context yields several overlapping windows of the same example.
/// </summary>
/// <param name="ExampleIndex">Position of the example in the list that was featurized.</param>
/// <param name="ExampleId">The SQuAD question id.</param>
/// <param name="WindowIndex">0-based index of this window among the example's windows.</param>
/// <param name="InputIds">Vocabulary ids, one per token.</param>
/// <param name="TokenTypeIds">0 for [CLS], question and the first [SEP]; 1 for context and the last [SEP].</param>
/// <param name="Sources">What each token is.</param>
/// <param name="Spans">Each token's characters in the ORIGINAL question (Question tokens) or ORIGINAL context
/// (Context tokens); <see cref="CharSpan.Empty"/> for special tokens.</param>
/// <param name="GoldStart">Token index of the gold answer's first token; the [CLS] index (0) when the answer is not
/// fully inside this window or the example has no answer (Hugging Face convention).</param>
/// <param name="GoldEnd">Token index of the gold answer's last token (inclusive); 0 as for <paramref name="GoldStart"/>.</param>
public sealed record QaWindow(
    int ExampleIndex,
    string ExampleId,
    int WindowIndex,
    int[] InputIds,
    int[] TokenTypeIds,
    TokenSource[] Sources,
    CharSpan[] Spans,
    int GoldStart,
    int GoldEnd)
{
    public int Length => InputIds.Length;

    /// <summary>True when the gold answer lies fully inside this window.</summary>
    public bool ContainsAnswer => GoldStart > 0;
}
