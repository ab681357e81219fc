using System.Diagnostics;
using System.Text.Json;
using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Metrics;
using SquadAlbert.Analysis.Model;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.WhatIf;

/// <summary>An edited example: question, context and optionally one gold answer (UTF-16 offset into <see cref="Context"/>).</summary>
public sealed record WhatIfEdit(string Question, string Context, SquadAnswer? Gold)
{
    /// <summary>
    /// The gold answer of an edited context: <paramref name="text"/> at <paramref name="start"/> when the context holds it
    /// there, else its first occurrence, else null (the edit has no gold, and no EM/F1). Blank text: no gold.
    /// </summary>
    public static SquadAnswer? ResolveGold(string context, string? text, int? start)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (start is { } s && s >= 0 && s + text.Length <= context.Length && string.CompareOrdinal(context, s, text, 0, text.Length) == 0)
        {
            return new SquadAnswer(text, s);
        }
        var found = context.IndexOf(text, StringComparison.Ordinal);
        return found < 0 ? null : new SquadAnswer(text, found);
    }
}

/// <summary>One context token's start and end probabilities (the largest over the windows that hold it).</summary>
/// <param name="Span">UTF-16 characters of the token in the edited context.</param>
public sealed record WhatIfToken(int Index, CharSpan Span, string Text, double StartProbability, double EndProbability);

/// <summary>What the reader answered on an edited example.</summary>
/// <param name="Score">Start + end logit of the answer (the null score when it abstains).</param>
/// <param name="ExactMatch">Against the edit's gold; null without one.</param>
/// <param name="Elapsed">Featurizing, the model and post-processing (not the model's loading).</param>
public sealed record WhatIfResult(
    string Prediction, CharSpan Span, double Probability, double Score, IReadOnlyList<QaCandidate> NBest, IReadOnlyList<WhatIfToken> Tokens,
    int WindowCount, bool? ExactMatch, double? F1, TimeSpan Elapsed)
{
    public bool IsNoAnswer => Prediction.Length == 0;
}

/// <summary>The attribution heatmap of an edited example (computed, never cached: an edit is not a stored sample).</summary>
/// <param name="CompletenessError">Integrated gradients' relative completeness error, as the sample page shows it; null for
/// gradient × input.</param>
/// <param name="Tokens">The edited question and context as the run's tokens, coloured by the attribution of
/// <see cref="QaAttribution.Key"/>'s window (tokens outside it get no score), with the edit's gold marked.</param>
/// <param name="LossOnCls">No gold in any window (or no gold at all): the loss target is on [CLS], as for such stored samples.</param>
public sealed record WhatIfAttribution(QaAttribution Attribution, double? CompletenessError, TokenView Tokens, int WindowCount, bool LossOnCls, TimeSpan Elapsed);

/// <summary>
/// Runs a run's reader on one edited example in process: the run's model folder, its featurizer (window) and
/// post-processing settings (n-best, longest answer, the no-answer threshold) and precision, so an unedited example gives
/// the prediction the run stored. One loaded pipeline is kept per model folder and version (loading is the slow part);
/// runs go one at a time. Thread-safe.
/// </summary>
/// <param name="fingerprints">Shared with the dashboard's other readers of model folders; null for a cache of its own.</param>
public sealed class WhatIfReader(int? threads = null, ModelFingerprintCache? fingerprints = null) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly ModelFingerprintCache _fingerprints = fingerprints ?? new ModelFingerprintCache();
    private readonly Dictionary<(string Folder, string Sha256, InferencePrecision Precision, QaFeaturizerOptions Options), QaPipeline> _pipelines = [];
    private readonly Dictionary<(string Folder, string Sha256), QaAttributor> _attributors = [];

    /// <summary>How many pipelines this instance loaded.</summary>
    public int Loads { get; private set; }

    /// <exception cref="InputException">Empty question or context, the run's settings are unreadable, or its model folder is
    /// gone or holds another model than the run's.</exception>
    public WhatIfResult Run(RunInfo run, WhatIfEdit edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(edit);
        if (string.IsNullOrWhiteSpace(edit.Question) || string.IsNullOrWhiteSpace(edit.Context))
        {
            throw new InputException("What-if: the question and the context need some text.");
        }
        var settings = SettingsOf(run);
        if (RunModelCheck.Changed(run, _fingerprints) is { } changed)
        {
            throw new InputException($"What-if: {changed} Restore the folder, or analyse the new model into a run of its own.");
        }
        lock (_gate)
        {
            var pipeline = PipelineOf(run, settings, cancellationToken);
            var clock = Stopwatch.StartNew();
            var result = pipeline.Answer([ExampleOf(edit)], new QaRunOptions(settings.WindowsPerModelCall), settings.PostProcessing, null, cancellationToken);
            var prediction = result.Predictions[0];
            var tokens = Tokens(edit.Context, result.Outputs);
            bool? exact = null;
            double? f1 = null;
            if (edit.Gold is { } g)
            {
                var score = OfficialSquadMetric.Score(prediction.Text, [g.Text]);
                (exact, f1) = (score.ExactMatch, score.F1);
            }
            return new WhatIfResult(prediction.Text, prediction.Span, prediction.Probability, prediction.Score, prediction.NBest, tokens,
                result.Windows.Count, exact, f1, clock.Elapsed);
        }
    }

    /// <summary>
    /// The reader's answers on many examples at once (probes over a slice): the run's pipeline as <see cref="Run"/> uses it, with
    /// every example's windows batched <see cref="AnalysisSettings.WindowsPerModelCall"/> per model call, as an analysis does.
    /// </summary>
    /// <exception cref="InputException">As <see cref="Run"/>.</exception>
    public IReadOnlyList<QaPrediction> Answer(RunInfo run, IReadOnlyList<(string Question, string Context)> examples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0)
        {
            return [];
        }
        var settings = SettingsOf(run);
        if (RunModelCheck.Changed(run, _fingerprints) is { } changed)
        {
            throw new InputException($"Probes: {changed} Restore the folder, or analyse the new model into a run of its own.");
        }
        lock (_gate)
        {
            var pipeline = PipelineOf(run, settings, cancellationToken);
            var squad = examples.Select((e, i) => new SquadExample(
                i.ToString(System.Globalization.CultureInfo.InvariantCulture), "", e.Context, e.Question, [], true, new SquadLocation(0, 0, i))).ToList();
            return pipeline.Answer(squad, new QaRunOptions(settings.WindowsPerModelCall), settings.PostProcessing, null, cancellationToken).Predictions;
        }
    }

    /// <summary>
    /// The attribution of an edited example by the machinery of the sample page's heatmap (<see cref="AttributionCache"/>):
    /// the run's model and window settings, the edit featurized into windows as <see cref="Run"/> does, the loss window chosen as
    /// a run chooses it (<see cref="SampleAnalyzer.ChooseLossWindow(IReadOnlyList{QaWindow})"/>) and gold target positions.
    /// Nothing is stored.
    /// </summary>
    /// <param name="prediction">Marked in the returned tokens, e.g. <see cref="WhatIfResult.Span"/>; null marks none.</param>
    /// <exception cref="InputException">As <see cref="Run"/>, or an invalid request.</exception>
    public WhatIfAttribution Attribute(
        RunInfo run, WhatIfEdit edit, SampleAttributionRequest request, CharSpan? prediction = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        if (string.IsNullOrWhiteSpace(edit.Question) || string.IsNullOrWhiteSpace(edit.Context))
        {
            throw new InputException("What-if: the question and the context need some text.");
        }
        var settings = SettingsOf(run);
        if (RunModelCheck.Changed(run, _fingerprints) is { } changed)
        {
            throw new InputException($"What-if: {changed} Restore the folder, or analyse the new model into a run of its own.");
        }
        lock (_gate)
        {
            var pipeline = PipelineOf(run, settings, cancellationToken);
            var attributor = AttributorOf(run, pipeline.Tokenizer);
            var clock = Stopwatch.StartNew();
            var windows = pipeline.Featurizer.Featurize(ExampleOf(edit), 0);
            var (index, onCls) = SampleAnalyzer.ChooseLossWindow(windows);
            var options = new AttributionOptions(request.Method, request.Target, TargetPositions.Gold, Math.Max(request.Steps, 1), request.Rule);
            var attribution = attributor.Attribute(windows[index], options, cancellationToken);
            var scores = TokenView.NormalizedScores(attribution);
            CharSpan[] gold = edit.Gold is { } g ? [new CharSpan(g.AnswerStart, g.AnswerStart + g.Text.Length)] : [];
            CharSpan[] predicted = prediction is { } p && p.End > p.Start ? [p] : [];
            var tokens = new TokenView(
                TokenView.Segments(edit.Question, pipeline.Tokenizer.Tokenize(edit.Question).Spans, [], [], scores.Question),
                TokenView.Segments(edit.Context, pipeline.Tokenizer.Tokenize(edit.Context).Spans, gold, predicted, scores.Context));
            return new WhatIfAttribution(attribution, attribution.Completeness?.RelativeError, tokens, windows.Count, onCls, clock.Elapsed);
        }
    }

    private static SquadExample ExampleOf(WhatIfEdit edit)
    {
        SquadAnswer[] answers = edit.Gold is { } gold ? [gold] : [];
        return new SquadExample("what-if", "", edit.Context, edit.Question, answers, answers.Length == 0, new SquadLocation(0, 0, 0));
    }

    private QaAttributor AttributorOf(RunInfo run, ISubwordTokenizer tokenizer)
    {
        if (!_attributors.TryGetValue((run.ModelPath, run.ModelSha256), out var attributor))
        {
            attributor = new QaAttributor(QaCheckpoint.Load(run.ModelPath), tokenizer.PieceOf, tokenizer.PadId, threads: threads);
            _attributors[(run.ModelPath, run.ModelSha256)] = attributor;
        }
        return attributor;
    }

    /// <summary>Per context token, the softmax of the start and end logits over its window, the largest over windows.</summary>
    public static IReadOnlyList<WhatIfToken> Tokens(string context, IReadOnlyList<QaWindowOutput> outputs)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(outputs);
        var bySpan = new SortedDictionary<int, (CharSpan Span, double Start, double End)>();
        foreach (var output in outputs)
        {
            var starts = Softmax(output.StartLogits);
            var ends = Softmax(output.EndLogits);
            var window = output.Window;
            for (var t = 0; t < window.Length; t++)
            {
                if (window.Sources[t] != TokenSource.Context)
                {
                    continue;
                }
                var span = window.Spans[t];
                bySpan[span.Start] = bySpan.TryGetValue(span.Start, out var seen)
                    ? (span, Math.Max(seen.Start, starts[t]), Math.Max(seen.End, ends[t]))
                    : (span, starts[t], ends[t]);
            }
        }
        return [.. bySpan.Values.Select((v, i) => new WhatIfToken(i, v.Span, context[v.Span.Start..v.Span.End], v.Start, v.End))];
    }

    private static double[] Softmax(float[] logits)
    {
        var max = logits.Max();
        var exps = logits.Select(l => Math.Exp(l - max)).ToArray();
        var sum = exps.Sum();
        return [.. exps.Select(e => e / sum)];
    }

    private QaPipeline PipelineOf(RunInfo run, AnalysisSettings settings, CancellationToken cancellationToken)
    {
        var key = (run.ModelPath, run.ModelSha256, settings.Precision, settings.Featurizer);
        if (!_pipelines.TryGetValue(key, out var pipeline))
        {
            if (!Directory.Exists(run.ModelPath))
            {
                throw new InputException($"What-if: the run's model folder '{run.ModelPath}' does not exist any more.");
            }
            pipeline = QaPipeline.Open(run.ModelPath, settings.Featurizer, threads, settings.Precision, cancellationToken);
            _pipelines[key] = pipeline;
            Loads++;
        }
        return pipeline;
    }

    /// <summary>The run's analysis settings (window and post-processing), as stored with it.</summary>
    /// <exception cref="InputException">The settings JSON is not analysis settings.</exception>
    public static AnalysisSettings SettingsOf(RunInfo run)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            return JsonSerializer.Deserialize<AnalysisSettings>(run.SettingsJson) ?? throw new InputException($"run {run.Id}: settings_json is null.");
        }
        catch (JsonException ex)
        {
            throw new InputException($"run {run.Id}: settings_json is not analysis settings at {ex.Path}: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var pipeline in _pipelines.Values)
            {
                pipeline.Dispose();
            }
            _pipelines.Clear();
            foreach (var attributor in _attributors.Values)
            {
                attributor.Dispose();
            }
            _attributors.Clear();
        }
    }
}
