using System.Globalization;
using System.Text;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Tests.Text;

/// <summary>
/// Python's character rules (<see cref="PythonUnicode"/>) against tables that Python 3.11 (Unicode 14) produced from its own
/// str.lower, str.isspace, re word characters and Final_Sigma handling (tools/reference/squad_v11_reference.py fixtures).
/// Only code points assigned in Unicode 14 are compared, since .NET may know newer characters.
/// </summary>
public class PythonUnicodeConformanceTests
{
    private static readonly List<(int Start, int End)> Assigned = Ranges("python_assigned.tsv");

    /// <summary>Code points whose general category changed after Unicode 14; .NET follows the newer standard.
    /// U+1171E AHOM CONSONANT SIGN MEDIAL RA: Mn in Unicode 14, Mc from Unicode 15.</summary>
    private static readonly HashSet<int> RecategorizedSinceUnicode14 = [0x1171E];

    [Fact]
    public void Word_characters_match_python_re()
    {
        AssertSameSet("python_word.tsv", rune => PythonUnicode.IsWordCharacter(rune));
    }

    [Fact]
    public void Whitespace_matches_python_isspace()
    {
        AssertSameSet("python_space.tsv", rune => PythonUnicode.IsWhitespace(rune.Value));
    }

    [Fact]
    public void Case_ignorable_matches_python_final_sigma_handling()
    {
        AssertSameSet("python_case_ignorable.tsv", PythonUnicode.IsCaseIgnorable);
    }

    [Fact]
    public void Cased_letters_that_end_the_sigma_lookaround_match_python()
    {
        AssertSameSet("python_cased_stop.tsv", rune => !PythonUnicode.IsCaseIgnorable(rune) && PythonUnicode.IsCased(rune));
    }

    [Fact]
    public void Lowercase_matches_python_str_lower_for_every_changed_code_point()
    {
        var expected = new Dictionary<int, string>();
        foreach (var line in File.ReadLines(TestPaths.Fixture("metrics/python_lower.tsv")))
        {
            var parts = line.Split('\t');
            var lowered = new StringBuilder();
            foreach (var hex in parts[1].Split(' '))
            {
                lowered.Append(char.ConvertFromUtf32(int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }
            expected[int.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = lowered.ToString();
        }
        Assert.True(expected.Count > 1000);
        var mismatches = new List<string>();
        foreach (var codePoint in AssignedCodePoints())
        {
            // Capital sigma depends on its neighbours; the Final_Sigma tests cover it.
            if (codePoint == 0x03A3)
            {
                continue;
            }
            var text = char.ConvertFromUtf32(codePoint);
            var want = expected.GetValueOrDefault(codePoint, text);
            var got = PythonUnicode.Lower(text);
            if (got != want)
            {
                mismatches.Add($"U+{codePoint:X4}: python '{want}' ours '{got}'");
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(30)) + $"\n({mismatches.Count} in all)");
    }

    [Fact]
    public void Final_sigma_looks_past_case_ignorable_characters()
    {
        // The apostrophe is case-ignorable: the sigma before it still ends the word "ΑΣ'".
        Assert.Equal("ας'", PythonUnicode.Lower("ΑΣ'"));
        // A letter after the apostrophe makes it medial.
        Assert.Equal("ασ'β", PythonUnicode.Lower("ΑΣ'Β"));
    }

    [Fact]
    public void A_lone_surrogate_is_kept_unchanged()
    {
        Assert.Equal("a\ud800b", PythonUnicode.Lower("A\ud800B"));
    }

    private static void AssertSameSet(string fixture, Func<Rune, bool> ours)
    {
        var pythonSet = Ranges(fixture);
        var mismatches = new List<string>();
        foreach (var codePoint in AssignedCodePoints().Where(codePoint => !RecategorizedSinceUnicode14.Contains(codePoint)))
        {
            var inPython = pythonSet.Any(range => codePoint >= range.Start && codePoint <= range.End);
            if (inPython != ours(new Rune(codePoint)))
            {
                mismatches.Add($"U+{codePoint:X4} python={inPython}");
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(30)) + $"\n({mismatches.Count} in all)");
    }

    private static IEnumerable<int> AssignedCodePoints() =>
        Assigned.SelectMany(range => Enumerable.Range(range.Start, range.End - range.Start + 1));

    private static List<(int Start, int End)> Ranges(string fixture) =>
        File.ReadLines(TestPaths.Fixture("metrics/" + fixture))
            .Select(line => line.Split('\t'))
            .Select(parts => (int.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                int.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture)))
            .ToList();
}
