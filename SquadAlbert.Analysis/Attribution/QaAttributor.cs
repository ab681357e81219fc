using SquadAlbert.Analysis.Model;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Model.Onnx;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Attribution;

/// <summary>What <see cref="QaAttributor.Attribute"/> computes.</summary>
/// <param name="Steps">Integration steps (intervals for the trapezoid rule, nodes for Gauss–Legendre, the MAXIMUM number of
/// intervals for <see cref="IntegrationRule.Adaptive"/>, at least 8, whose key records the intervals used); ignored by the
/// gradient × input methods, whose key records 0.</param>
/// <param name="BatchSize">Path points per ONNX Runtime call; the points of one window share its length, so no padding.
/// 8 runs as fast as 34 on the small benchmark model and keeps the backward pass's memory (attention probabilities of every
/// layer) bounded for larger models.</param>
/// <param name="MaxAnswerTokens">Longest span <see cref="TargetPositions.Predicted"/> considers.</param>
public sealed record AttributionOptions(
    AttributionMethod Method = AttributionMethod.IntegratedGradients,
    AttributionTarget Target = AttributionTarget.Loss,
    TargetPositions Positions = TargetPositions.Gold,
    int Steps = 32,
    IntegrationRule Rule = IntegrationRule.GaussLegendre,
    int BatchSize = 8,
    int MaxAnswerTokens = 30);

/// <summary>
/// Token attributions of an ALBERT QA model through the input-gradient graph. The inputs are the word-embedding rows
/// of the window's tokens; the baseline replaces every non-special token's row by the PAD embedding and keeps [CLS] and
/// [SEP] (and the position and token-type embeddings, which the graph adds itself), so the path changes only the words.
/// </summary>
public sealed class QaAttributor : IDisposable
{
    private readonly QaCheckpoint _checkpoint;
    private readonly Func<int, string> _pieceOf;
    private readonly int _padId;
    private readonly int? _threads;
    private readonly OnnxElementType _elementType;
    private readonly Dictionary<AttributionTarget, InputGradientSession> _sessions = [];

    /// <param name="pieceOf">The vocabulary piece of an id (e.g. <see cref="ISubwordTokenizer.PieceOf"/>).</param>
    /// <param name="padId">The PAD id whose embedding is the baseline (<see cref="ISubwordTokenizer.PadId"/>).</param>
    /// <param name="modelHash">Goes into each result's key; defaults to <see cref="ModelFingerprint.Compute"/>.</param>
    /// <param name="elementType">float64 gives gradients free of float32 rounding, at several times the cost.</param>
    public QaAttributor(
        QaCheckpoint checkpoint, Func<int, string> pieceOf, int padId, string? modelHash = null, int? threads = null,
        OnnxElementType elementType = OnnxElementType.SinglePrecision)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(pieceOf);
        ArgumentOutOfRangeException.ThrowIfNegative(padId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(padId, checkpoint.Config.VocabSize);
        _checkpoint = checkpoint;
        _pieceOf = pieceOf;
        _padId = padId;
        _threads = threads;
        _elementType = elementType;
        ModelHash = modelHash ?? ModelFingerprint.Compute(checkpoint);
    }

    public string ModelHash { get; }

    public QaAttribution Attribute(QaWindow window, AttributionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        options ??= new AttributionOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        var session = SessionFor(options.Target);
        var input = session.Embed(window);
        var baseline = Baseline(window, session);
        var (start, end) = Positions(window, options, session, input, cancellationToken);

        IReadOnlyList<PathPoint> Evaluate(IReadOnlyList<float[]> points, CancellationToken ct) => session
            .Run(points.Select(p => new InputGradientRequest(window, p, start, end)).ToList(), options.BatchSize, ct)
            .Select(r => new PathPoint(r.TargetValue, r.InputsEmbedsGrad))
            .ToList();

        double[] attributions;
        double targetValue;
        CompletenessCheck? completeness = null;
        var steps = 0;
        if (options.Method == AttributionMethod.IntegratedGradients)
        {
            IntegratedGradientsResult result;
            if (options.Rule == IntegrationRule.Adaptive)
            {
                var adaptive = IntegratedGradients.ComputeAdaptive(
                    input, baseline, Evaluate, AdaptivePathQuadrature.DefaultRelativeBound, Math.Max(options.Steps, AdaptivePathQuadrature.InitialIntervals), cancellationToken);
                (result, steps) = (adaptive.Result, adaptive.Rule.Quadrature.Steps);
            }
            else
            {
                (result, steps) = (IntegratedGradients.Compute(input, baseline, PathQuadrature.Create(options.Rule, options.Steps), Evaluate, cancellationToken), options.Steps);
            }
            (attributions, completeness, targetValue) = (result.Attributions, result.Completeness, result.Completeness.InputValue);
        }
        else
        {
            var atInput = Evaluate([input], cancellationToken)[0];
            var reference = options.Method == AttributionMethod.GradientTimesInputMinusBaseline ? baseline : null;
            (attributions, targetValue) = (GradientTimesInput.Compute(input, atInput.Gradient, reference), atInput.Value);
        }

        var scores = TokenScores.SumPerToken(attributions, session.EmbeddingSize);
        var normalized = TokenScores.NormalizeByMaxAbs(scores);
        var tokens = Enumerable.Range(0, window.Length)
            .Select(t => new TokenAttribution(t, window.Sources[t], window.Spans[t], _pieceOf(window.InputIds[t]), scores[t], normalized[t]))
            .ToList();
        var key = new AttributionKey(ModelHash, window.ExampleId, window.WindowIndex, options.Method, options.Target, options.Positions,
            options.Method == AttributionMethod.IntegratedGradients ? options.Rule : null, steps);
        return new QaAttribution(key, start, end, targetValue, tokens, completeness);
    }

    /// <summary>Builds the gradient graph and session of <paramref name="target"/> now rather than at its first attribution
    /// (the larger part of a first heatmap's time with the default reader).</summary>
    public void Prepare(AttributionTarget target = AttributionTarget.Loss) => SessionFor(target);

    /// <summary>The input embeddings with every non-special token's row replaced by the PAD row.</summary>
    public float[] Baseline(QaWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return Baseline(window, _sessions.Values.FirstOrDefault() ?? SessionFor(AttributionTarget.Loss));
    }

    private float[] Baseline(QaWindow window, InputGradientSession session)
    {
        var e = session.EmbeddingSize;
        var baseline = session.Embed(window);
        var pad = session.EmbeddingOf(_padId);
        for (var t = 0; t < window.Length; t++)
        {
            if (window.Sources[t] != TokenSource.Special)
            {
                pad.CopyTo(baseline.AsSpan(t * e, e));
            }
        }
        return baseline;
    }

    private static (int Start, int End) Positions(
        QaWindow window, AttributionOptions options, InputGradientSession session, float[] input, CancellationToken cancellationToken)
    {
        if (options.Positions == TargetPositions.Gold)
        {
            return (window.GoldStart, window.GoldEnd);
        }
        // The logits do not depend on the positions fed for the gradient; one evaluation at the input gives them.
        var atInput = session.Run([new InputGradientRequest(window, input, 0, 0)], 1, cancellationToken)[0];
        return BestSpan(window, atInput.StartLogits, atInput.EndLogits, options.MaxAnswerTokens);
    }

    /// <summary>The context span maximising start + end logit with end ≥ start and at most
    /// <paramref name="maxAnswerTokens"/> tokens; (0, 0), the [CLS] convention, when the window has no context.</summary>
    public static (int Start, int End) BestSpan(QaWindow window, float[] startLogits, float[] endLogits, int maxAnswerTokens)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(startLogits);
        ArgumentNullException.ThrowIfNull(endLogits);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAnswerTokens, 1);
        var best = (Start: 0, End: 0);
        var bestScore = double.NegativeInfinity;
        for (var s = 0; s < window.Length; s++)
        {
            if (window.Sources[s] != TokenSource.Context)
            {
                continue;
            }
            for (var e = s; e < Math.Min(window.Length, s + maxAnswerTokens) && window.Sources[e] == TokenSource.Context; e++)
            {
                var score = (double)startLogits[s] + endLogits[e];
                if (score > bestScore)
                {
                    (best, bestScore) = ((s, e), score);
                }
            }
        }
        return best;
    }

    private InputGradientSession SessionFor(AttributionTarget target)
    {
        if (!_sessions.TryGetValue(target, out var session))
        {
            var graphTarget = target switch
            {
                AttributionTarget.Loss => InputGradientTarget.Loss,
                AttributionTarget.StartLogit => InputGradientTarget.StartLogit,
                AttributionTarget.EndLogit => InputGradientTarget.EndLogit,
                _ => throw new ArgumentOutOfRangeException(nameof(target), target, "unknown attribution target"),
            };
            session = new InputGradientSession(_checkpoint, _threads, graphTarget, _elementType);
            _sessions[target] = session;
        }
        return session;
    }

    public void Dispose()
    {
        foreach (var session in _sessions.Values)
        {
            session.Dispose();
        }
        _sessions.Clear();
    }
}
