using SquadAlbert.Analysis.Metrics;

namespace SquadAlbert.Analysis.Tests.Metrics;

/// <summary>Expected strings worked out by hand from the official rule
/// white_space_fix(remove_articles(remove_punc(lower(s)))) and checked with python3.</summary>
public class SquadAnswerNormalizerTests
{
    [Theory]
    [InlineData("The Eiffel Tower", "eiffel tower")]
    [InlineData("  Denver   Broncos. ", "denver broncos")]
    [InlineData("a an the", "")]
    [InlineData("An apple a day", "apple day")]
    [InlineData("theater anthem", "theater anthem")]
    // Punctuation goes first, so "the," and "A." are articles by the time articles are removed...
    [InlineData("the, A. cat", "cat")]
    // ...and apostrophes join words: "the's" becomes "thes", not an article.
    [InlineData("the's", "thes")]
    // "_" is punctuation in Python's string.punctuation, so "a_b" loses it and becomes one word.
    [InlineData("a_b", "ab")]
    [InlineData("1,000", "1000")]
    [InlineData("U.S.A.", "usa")]
    [InlineData("$5.00 (approx.)", "500 approx")]
    [InlineData("", "")]
    [InlineData("...", "")]
    public void Normalizes_ascii_like_the_official_script(string input, string expected)
    {
        Assert.Equal(expected, SquadAnswerNormalizer.Normalize(input));
    }

    [Theory]
    // A precomposed é is a word character, so "théa" stays one word and keeps its "a".
    [InlineData("théa a", "théa")]
    // Unicode letters border articles like ASCII ones: "éa" is one word, "é a" is not.
    [InlineData("é a", "é")]
    // A combining accent is NOT a word character in Python's re: "the\u0301a" splits into the, U+0301, a.
    [InlineData("the\u0301a", "\u0301")]
    // Unicode punctuation is not in string.punctuation and survives; the en dash separates nothing.
    [InlineData("1990–1995", "1990–1995")]
    [InlineData("«the» «a»", "« » « »")]
    // Non-breaking space and U+001F are Python whitespace; zero-width space is not.
    [InlineData("New\u00a0York", "new york")]
    [InlineData("a\u001fb", "b")]
    [InlineData("x\u200by", "x\u200by")]
    // Full lowercase mapping: U+0130 becomes i + combining dot.
    [InlineData("İstanbul", "i\u0307stanbul")]
    // Final sigma: word-final capital sigma lowers to ς, inside a word to σ, alone to σ.
    [InlineData("ΟΔΥΣΣΕΥΣ", "οδυσσευς")]
    [InlineData("Σ", "σ")]
    [InlineData("ΑΣ.", "ας")]
    // Non-BMP letters lowercase too (Deseret).
    [InlineData("\U00010400", "\U00010428")]
    public void Normalizes_unicode_like_python_3(string input, string expected)
    {
        Assert.Equal(expected, SquadAnswerNormalizer.Normalize(input));
    }

    [Fact]
    public void Tokens_split_the_normalized_text()
    {
        Assert.Equal(["eiffel", "tower"], SquadAnswerNormalizer.Tokens("The Eiffel Tower!"));
        Assert.Equal(["eiffeltower"], SquadAnswerNormalizer.Tokens("Eiffel-Tower"));
        Assert.Empty(SquadAnswerNormalizer.Tokens("the"));
    }
}
