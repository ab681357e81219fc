using System.CommandLine;
using SquadAlbert.Cli;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Cli.Commands;

/// <summary>
/// <c>squad-albert attribute</c>: token attributions (integrated gradients or gradient × input) of one question's
/// window for the loss or the start/end logit, printed token by token with the original text behind each token.
/// </summary>
public static class AttributeCommand
{
    private static readonly JsonSerializerOptions OneLine = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Dictionary<string, AttributionMethod> Methods = new(StringComparer.Ordinal)
    {
        ["ig"] = AttributionMethod.IntegratedGradients,
        ["gxi"] = AttributionMethod.GradientTimesInput,
        ["gxi-baseline"] = AttributionMethod.GradientTimesInputMinusBaseline,
    };

    private static readonly Dictionary<string, AttributionTarget> Targets = new(StringComparer.Ordinal)
    {
        ["loss"] = AttributionTarget.Loss,
        ["start"] = AttributionTarget.StartLogit,
        ["end"] = AttributionTarget.EndLogit,
    };

    private static readonly Dictionary<string, TargetPositions> PositionSources = new(StringComparer.Ordinal)
    {
        ["gold"] = TargetPositions.Gold,
        ["predicted"] = TargetPositions.Predicted,
    };

    private static readonly Dictionary<string, IntegrationRule> Rules = new(StringComparer.Ordinal)
    {
        ["adaptive"] = IntegrationRule.Adaptive,
        ["gauss-legendre"] = IntegrationRule.GaussLegendre,
        ["trapezoid"] = IntegrationRule.Trapezoid,
    };

    public static Command Create()
    {
        var model = ModelFolderOption.Create("model folder with spiece.model, config.json and model.safetensors (Hugging Face ALBERT)");
        var data = new Option<FileInfo>("--data") { Description = "SQuAD JSON file holding the question", Required = true };
        var id = new Option<string>("--id") { Description = "the question id", Required = true };
        var method = Choice("--method", "ig: integrated gradients; gxi: gradient × input; gxi-baseline: gradient × (input − baseline)", Methods, "ig");
        var target = Choice("--target", "what is attributed: the training loss, or the start or end logit", Targets, "loss");
        var positions = Choice("--positions", "target positions: the gold answer's, or the model's best span", PositionSources, "gold");
        var rule = Choice("--rule",
            "integration rule for ig: adaptive (Simpson panels bisected until the relative completeness error is at most 1 %, reusing every gradient), or a fixed rule",
            Rules, "adaptive");
        var steps = new Option<int?>("--steps")
        {
            Description = $"ig integration steps: the maximum number of intervals for adaptive (default {AdaptivePathQuadrature.DefaultMaxIntervals}, at least {AdaptivePathQuadrature.InitialIntervals}), else nodes or intervals (default {new AttributionOptions().Steps})",
        };
        var batchSize = new Option<int>("--batch-size") { Description = "path points per model call", DefaultValueFactory = _ => new AttributionOptions().BatchSize };
        var window = new Option<int?>("--window") { Description = "window index (default: the first window holding the answer, else 0)" };
        var json = new Option<FileInfo?>("--json") { Description = "also write the attribution as JSON to this file" };
        var windowOptions = new WindowOptions();

        var command = new Command("attribute", "Attribute a question's loss or answer logits to its tokens (integrated gradients or gradient × input).")
        {
            model, data, id, method, target, positions, rule, steps, batchSize, window, json,
        };
        windowOptions.AddTo(command);
        command.SetAction(CliRunner.Cancellable((parse, cancellationToken) =>
        {
            var folder = ModelFolderOption.Resolve(parse, model);
            var dataPath = parse.GetRequiredValue(data).FullName;
            var questionId = parse.GetRequiredValue(id);
            var integrationRule = Rules[parse.GetRequiredValue(rule)];
            var adaptive = integrationRule == IntegrationRule.Adaptive;
            var stepCount = parse.GetValue(steps) ?? (adaptive ? AdaptivePathQuadrature.DefaultMaxIntervals : new AttributionOptions().Steps);
            if (stepCount < 1 || parse.GetValue(batchSize) < 1)
            {
                throw new InputException($"attribute: --steps and --batch-size must be at least 1, got {stepCount} and {parse.GetValue(batchSize)}.");
            }
            if (adaptive && stepCount < AdaptivePathQuadrature.InitialIntervals)
            {
                throw new InputException($"attribute: --rule adaptive starts with {AdaptivePathQuadrature.InitialIntervals} intervals; --steps (its maximum) must be at least that, got {stepCount}.");
            }
            var example = SquadLoader.Load(dataPath).Examples.FirstOrDefault(e => e.Id == questionId)
                ?? throw new InputException($"{dataPath}: no question with id '{questionId}'.");
            var tokenizer = ModelTokenizer.Load(folder);
            var checkpoint = QaCheckpoint.Load(folder);
            var featurizerOptions = windowOptions.Resolve(parse, folder);
            featurizerOptions.Validate();
            if (featurizerOptions.MaxSeqLength > checkpoint.Config.MaxPositionEmbeddings)
            {
                throw new InputException(
                    $"attribute: --max-seq-length {featurizerOptions.MaxSeqLength} exceeds max_position_embeddings {checkpoint.Config.MaxPositionEmbeddings} in {Path.Combine(folder, EncoderConfig.FileName)}.");
            }
            var windows = new QaFeaturizer(tokenizer, featurizerOptions).Featurize(example, 0);
            var chosen = parse.GetValue(window) is { } index
                ? (index >= 0 && index < windows.Count ? windows[index] : throw new InputException($"attribute: --window {index}: question '{questionId}' has {windows.Count} window(s)."))
                : windows.FirstOrDefault(w => w.ContainsAnswer) ?? windows[0];
            var options = new AttributionOptions(
                Methods[parse.GetRequiredValue(method)], Targets[parse.GetRequiredValue(target)], PositionSources[parse.GetRequiredValue(positions)],
                stepCount, integrationRule, parse.GetValue(batchSize));

            var clock = Stopwatch.StartNew();
            using var attributor = new QaAttributor(checkpoint, tokenizer.PieceOf, tokenizer.PadId);
            var result = attributor.Attribute(chosen, options, cancellationToken);
            clock.Stop();

            Print(result, example, windows.Count, clock.Elapsed, options, parse.InvocationConfiguration.Output);
            if (parse.GetValue(json) is { } jsonFile)
            {
                File.WriteAllText(jsonFile.FullName, result.ToJson());
                parse.InvocationConfiguration.Output.WriteLine($"-> {jsonFile.FullName}");
            }
            return 0;
        }));
        return command;
    }

    private static Option<string> Choice<T>(string name, string description, Dictionary<string, T> choices, string defaultValue)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong([.. choices.Keys]);
        return option;
    }

    private static void Print(QaAttribution result, SquadExample example, int windowCount, TimeSpan elapsed, AttributionOptions options, TextWriter output)
    {
        var key = result.Key;
        var invariant = CultureInfo.InvariantCulture;
        output.WriteLine($"question {key.ExampleId}: {example.Question}");
        var integration = key.Method != AttributionMethod.IntegratedGradients ? ""
            : key.Rule == IntegrationRule.Adaptive
                ? string.Create(invariant, $", Adaptive {key.Steps} steps used of at most {options.Steps} (bound {AdaptivePathQuadrature.DefaultRelativeBound:P0})")
                : $", {key.Rule} {key.Steps} steps";
        output.WriteLine(string.Create(invariant,
            $"window {key.WindowIndex} of {windowCount}, {key.Method} of {key.Target} at {key.Positions} positions {result.StartPosition}..{result.EndPosition}{integration} ({elapsed.TotalSeconds:F2} s)"));
        output.WriteLine(string.Create(invariant, $"f(x) = {result.TargetValue:G6}"));
        if (result.Completeness is { } check)
        {
            output.WriteLine(string.Create(invariant,
                $"completeness: f(x) - f(baseline) = {check.InputValue - check.BaselineValue:G6}, sum of attributions = {check.AttributionSum:G6}, " +
                $"error {check.AbsoluteError:E2} (relative {check.RelativeError:E2})"));
        }
        output.WriteLine("index  source    span        score       normalized  piece  text");
        foreach (var token in result.Tokens)
        {
            var text = token.Source switch
            {
                TokenSource.Question => example.Question[token.Span.Start..token.Span.End],
                TokenSource.Context => example.Context[token.Span.Start..token.Span.End],
                _ => "",
            };
            output.WriteLine(string.Create(invariant,
                $"{token.Index,5}  {token.Source,-8}  {token.Span.Start,5}-{token.Span.End,-5}{token.Score,12:E3}{token.NormalizedScore,12:F4}  " +
                $"{JsonSerializer.Serialize(token.Piece, OneLine)}  {JsonSerializer.Serialize(text, OneLine)}"));
        }
    }
}
