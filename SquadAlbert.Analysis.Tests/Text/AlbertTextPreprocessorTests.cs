using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Tests.Text;

public sealed class AlbertTextPreprocessorTests
{
    private static (string Text, CharSpan[] Origins) Run(string original)
    {
        var aligned = AlbertTextPreprocessor.Preprocess(original);
        return (aligned.Text, Enumerable.Range(0, aligned.Length).Select(aligned.OriginOf).ToArray());
    }

    [Fact]
    public void Whitespace_is_stripped_and_each_run_becomes_one_space_standing_for_the_run()
    {
        var (text, origins) = Run("  Hello \t\u00A0 World\n ");
        Assert.Equal("hello world", text);
        Assert.Equal(new CharSpan(2, 3), origins[0]);
        Assert.Equal(new CharSpan(7, 11), origins[5]);
        Assert.Equal(new CharSpan(11, 12), origins[6]);
    }

    [Fact]
    public void Latex_quotes_become_one_double_quote_standing_for_both_chars()
    {
        var (text, origins) = Run("``Hi'' it's");
        Assert.Equal("\"hi\" it's", text);
        Assert.Equal(new CharSpan(0, 2), origins[0]);
        Assert.Equal(new CharSpan(4, 6), origins[3]);
        Assert.Equal(new CharSpan(9, 10), origins[7]);
    }

    [Fact]
    public void Accents_are_dropped_and_a_decomposed_accent_joins_its_letter()
    {
        var (precomposed, precomposedOrigins) = Run("Café");
        Assert.Equal("cafe", precomposed);
        Assert.Equal(new CharSpan(3, 4), precomposedOrigins[3]);

        var (decomposed, decomposedOrigins) = Run("Cafe\u0301 x");
        Assert.Equal("cafe x", decomposed);
        Assert.Equal(new CharSpan(3, 5), decomposedOrigins[3]);
        Assert.Equal(new CharSpan(5, 6), decomposedOrigins[4]);
    }

    [Fact]
    public void Compatibility_forms_expand_and_every_part_points_to_the_original_char()
    {
        var (text, origins) = Run("\uFB01ne \uFF21\uFF22 \u00BD");
        Assert.Equal("fine ab 1\u20442", text);
        Assert.Equal(new CharSpan(0, 1), origins[0]);
        Assert.Equal(new CharSpan(0, 1), origins[1]);
        Assert.Equal(new CharSpan(1, 2), origins[2]);
        Assert.Equal(new CharSpan(4, 5), origins[5]);
        Assert.All(origins[8..], o => Assert.Equal(new CharSpan(7, 8), o));
    }

    [Fact]
    public void Surrogate_pairs_survive_whole_and_a_lone_surrogate_becomes_the_replacement_char()
    {
        var (emoji, origins) = Run("a\U0001F600B");
        Assert.Equal("a\U0001F600b", emoji);
        Assert.Equal(new CharSpan(1, 3), origins[1]);
        Assert.Equal(new CharSpan(1, 3), origins[2]);
        Assert.Equal(new CharSpan(3, 4), origins[3]);

        Assert.Equal("a\uFFFDb", Run("a\uD800b").Text);
    }

    [Fact]
    public void Lowercasing_follows_python_including_final_sigma_and_supplementary_letters()
    {
        // Word-final capital sigma lowercases to final sigma (U+03C2), any other to U+03C3.
        Assert.Equal("\u03BF\u03B4\u03BF\u03C2 \u03C3\u03BF\u03C6\u03B9\u03B1", Run("ΟΔΟΣ ΣΟΦΙΑ").Text);
        Assert.Equal("\U00010428", Run("\U00010400").Text);
    }

    [Fact]
    public void Combining_class_is_detected_for_marks_only()
    {
        Assert.True(AlbertTextPreprocessor.IsCombining(new System.Text.Rune(0x0301)));
        Assert.True(AlbertTextPreprocessor.IsCombining(new System.Text.Rune(0x0345)));
        Assert.True(AlbertTextPreprocessor.IsCombining(new System.Text.Rune(0x094D)));  // Devanagari virama, class 9
        Assert.False(AlbertTextPreprocessor.IsCombining(new System.Text.Rune(0x0941))); // Devanagari vowel sign u: a mark of class 0, kept by Python
        Assert.False(AlbertTextPreprocessor.IsCombining(new System.Text.Rune('a')));
    }
}
