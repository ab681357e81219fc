using SquadAlbert.Analysis.Metadata;

namespace SquadAlbert.Analysis.Tests.Metadata;

public sealed class ReadabilityTests
{
    // Syllable counts from a dictionary (Merriam-Webster hyphenation of the spoken word).
    [Theory]
    [InlineData("cat", 1)]
    [InlineData("the", 1)]
    [InlineData("time", 1)]
    [InlineData("France", 1)]
    [InlineData("jumped", 1)]
    [InlineData("likes", 1)]
    [InlineData("table", 2)]
    [InlineData("people", 2)]
    [InlineData("water", 2)]
    [InlineData("wanted", 2)]
    [InlineData("boxes", 2)]
    [InlineData("houses", 2)]
    [InlineData("yellow", 2)]
    [InlineData("syllable", 3)]
    [InlineData("beautiful", 3)]
    [InlineData("computer", 3)]
    [InlineData("family", 3)]
    [InlineData("Normandy", 3)]
    [InlineData("education", 4)]
    [InlineData("readability", 5)]
    [InlineData("university", 5)]
    public void Counts_syllables_of_known_words(string word, int syllables) =>
        Assert.Equal(syllables, Readability.CountSyllables(word));

    [Fact]
    public void Known_heuristic_misses_stay_documented()
    {
        // "cre-at-ed" and "be-ing" have 3 and 2 syllables; adjacent vowels count once.
        Assert.Equal(2, Readability.CountSyllables("created"));
        Assert.Equal(1, Readability.CountSyllables("being"));
    }

    [Fact]
    public void Scores_a_one_sentence_text_by_the_formulas()
    {
        // 6 words, 1 sentence, 6 syllables: 206.835 - 1.015 * 6 - 84.6 * 1 and 0.39 * 6 + 11.8 * 1 - 15.59.
        var score = Readability.Score("The cat sat on the mat.")!;

        Assert.Equal((6, 1, 6), (score.Words, score.Sentences, score.Syllables));
        Assert.Equal(116.145, score.FleschReadingEase, 9);
        Assert.Equal(-1.45, score.FleschKincaidGrade, 9);
    }

    [Fact]
    public void Splits_sentences_at_terminal_punctuation_followed_by_space()
    {
        // 9 words ("U.S." is two) over 2 sentences; "U.S." before a lower-case word does not end the sentence and
        // the numeral is not a word.
        var score = Readability.Score("The U.S. team won 3 games. Fans cheered loudly!")!;

        Assert.Equal(2, score.Sentences);
        Assert.Equal(9, score.Words);
    }

    [Fact]
    public void A_text_without_words_has_no_score() => Assert.Null(Readability.Score("42 ..."));
}
