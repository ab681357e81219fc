using System.Diagnostics;
using System.Text;
using System.Text.Json;
using SquadAlbert.Analysis.Text;
using Xunit.Abstractions;

namespace SquadAlbert.Analysis.Tests.Text;

/// <summary>
/// Our ALBERT preprocessing against the Python reference (scripts/albert_preprocess.py, the Hugging Face code that
/// also prepared the tokenizer's training corpus), on every dev text plus hand-picked hard cases.
/// </summary>
public sealed class PreprocessingReferenceTests(ITestOutputHelper output)
{
    private static readonly string[] HardCases =
    [
        "  ``Quoted''   text\t\n with ''' triple ",
        "Café cafe\u0301 na\u00EFve \uFB01ne \uFF21\uFF22\uFF23 \u00BD \u2460 \u00A8x \u00B4y",
        "ΟΔΟΣ ΣΟΦΙΑ Σ ΑΣ. ΑΣ' \U00010400 İstanbul ẞ ǅ",
        "हिन्दी 한국어 日本語 العربية \u200Bzero\u200Dwidth \u00A0nbsp\u2007figure \u3000ideographic \u001Cfs\u001Fus",
        "emoji \U0001F600 \u2764\uFE0F \U0001F44D\U0001F3FD flags \U0001F1FA\U0001F1F8",
    ];

    [Fact]
    public void Preprocessing_equals_the_hugging_face_python_reference()
    {
        var texts = DevSet.Paragraphs.SelectMany(p => p.Questions.Select(q => q.Question).Prepend(p.Context)).Concat(HardCases).ToList();
        var reference = RunPythonReference(texts);
        var differences = new List<string>();
        for (var i = 0; i < texts.Count; i++)
        {
            var ours = AlbertTextPreprocessor.Preprocess(texts[i]).Text;
            if (ours != reference[i])
            {
                differences.Add($"#{i}: ours {JsonSerializer.Serialize(ours)}\n  python {JsonSerializer.Serialize(reference[i])}");
            }
        }
        output.WriteLine($"preprocessing: {texts.Count - differences.Count}/{texts.Count} identical to Python");
        Assert.True(differences.Count == 0, string.Join('\n', differences.Take(10)));
    }

    private static List<string> RunPythonReference(IReadOnlyList<string> texts)
    {
        var script = Path.Combine(TestPaths.RepoRoot, "scripts", "albert_preprocess.py");
        var start = new ProcessStartInfo("python3", [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 is required for the preprocessing reference test");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        foreach (var text in texts)
        {
            process.StandardInput.WriteLine(JsonSerializer.Serialize(text));
        }
        process.StandardInput.Close();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python3 {script} failed: {stderr.Result}");
        return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonSerializer.Deserialize<string>(line)!).ToList();
    }
}
