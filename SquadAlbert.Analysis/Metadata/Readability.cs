namespace SquadAlbert.Analysis.Metadata;

/// <summary>Readability of a text.</summary>
/// <param name="FleschReadingEase">206.835 − 1.015 · words/sentences − 84.6 · syllables/words (higher is easier).</param>
/// <param name="FleschKincaidGrade">0.39 · words/sentences + 11.8 · syllables/words − 15.59 (a US school grade).</param>
public sealed record ReadabilityScore(double FleschReadingEase, double FleschKincaidGrade, int Words, int Sentences, int Syllables);

/// <summary>
/// Flesch reading ease and Flesch–Kincaid grade with a rule-based syllable counter. Words are
/// <see cref="TextWords.Split"/> words that contain a letter (numerals are not read as words); sentences end where
/// <see cref="Sentences.Ends"/> says (a text without an end is one sentence).
/// </summary>
public static class Readability
{
    /// <summary>Null when the text has no words: both formulas divide by the word count.</summary>
    public static ReadabilityScore? Score(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = TextWords.Split(text).Where(w => w.Any(char.IsLetter)).ToList();
        if (words.Count == 0)
        {
            return null;
        }
        var sentences = Math.Max(1, CountSentences(text));
        var syllables = words.Sum(CountSyllables);
        var wordsPerSentence = (double)words.Count / sentences;
        var syllablesPerWord = (double)syllables / words.Count;
        return new ReadabilityScore(
            206.835 - 1.015 * wordsPerSentence - 84.6 * syllablesPerWord,
            0.39 * wordsPerSentence + 11.8 * syllablesPerWord - 15.59,
            words.Count, sentences, syllables);
    }

    /// <summary>
    /// Syllables of one English word, by vowel groups: letters only, lower case; words of up to three letters have
    /// one; a final silent "e" is dropped (but not "-le" after a consonant: ta-ble), as are "-es" except after
    /// s, x, z, c, g, h (box-es) and "-ed" except after t, d (want-ed); a leading "y" is a consonant; then every run
    /// of a, e, i, o, u, y counts one, at least one per word. A heuristic: adjacent vowels that are two syllables
    /// (cre-at-ed, be-ing) count as one.
    /// </summary>
    public static int CountSyllables(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var letters = new string([.. word.ToLowerInvariant().Where(char.IsAsciiLetter)]);
        if (letters.Length == 0)
        {
            return 0;
        }
        if (letters.Length <= 3)
        {
            return 1;
        }
        letters = StripSilentEnding(letters);
        if (letters.StartsWith('y'))
        {
            letters = letters[1..];
        }
        var groups = 0;
        var inVowels = false;
        foreach (var c in letters)
        {
            var vowel = IsVowel(c);
            if (vowel && !inVowels)
            {
                groups++;
            }
            inVowels = vowel;
        }
        return Math.Max(1, groups);
    }

    private static string StripSilentEnding(string word)
    {
        if (word.EndsWith("es", StringComparison.Ordinal) && !"sxzcgh".Contains(word[^3], StringComparison.Ordinal))
        {
            return word[..^2];
        }
        if (word.EndsWith("ed", StringComparison.Ordinal) && word[^3] is not ('t' or 'd'))
        {
            return word[..^2];
        }
        var isConsonantLe = word.EndsWith("le", StringComparison.Ordinal) && !IsVowel(word[^3]);
        if (word.EndsWith('e') && !isConsonantLe && !IsVowel(word[^2]))
        {
            return word[..^1];
        }
        return word;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    private static int CountSentences(string text) => Sentences.Ends(text).Count;
}
