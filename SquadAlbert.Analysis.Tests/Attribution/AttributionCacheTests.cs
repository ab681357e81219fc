using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Tests.Review;
using SquadAlbert.Analysis.Tests.Runs;

namespace SquadAlbert.Analysis.Tests.Attribution;

public sealed class AttributionCacheTests(AnalysedRun run) : IClassFixture<AnalysedRun>
{
    [Fact]
    public async Task Computes_once_stores_the_completeness_error_and_answers_later_calls_from_the_table()
    {
        var request = new SampleAttributionRequest(AttributionMethod.IntegratedGradients, AttributionTarget.Loss, Steps: 4);
        var sample = new RunSampleReader(run.Database).Find(run.RunId, 0)!;
        using var cache = new AttributionCache(run.Database, threads: 1);

        var first = await cache.GetOrComputeAsync(run.RunId, 0, request);
        var second = await cache.GetOrComputeAsync(run.RunId, 0, request);
        using var other = new AttributionCache(run.Database, threads: 1);
        var third = await other.GetOrComputeAsync(run.RunId, 0, request);

        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.True(third.FromCache);
        Assert.Equal((1, 0), (cache.Computations, other.Computations));
        Assert.Equal(first.CreatedAt, third.CreatedAt);
        Assert.NotNull(first.CompletenessError);
        Assert.Equal(first.Attribution.Completeness!.RelativeError, third.CompletenessError);
        Assert.Equal(first.Attribution.ToJson(), third.Attribution.ToJson());
        Assert.Equal(1, RunFixture.Scalar<int>(run.Database, "SELECT count(*) FROM attributions WHERE run_id = $run AND sample_index = 0 AND completeness_error IS NOT NULL", run.RunId));
        // The rebuilt window is the run's loss window: the loss target at the input is the loss the run recorded.
        Assert.Equal(sample.LossWindow, first.Attribution.Key.WindowIndex);
        Assert.Equal(sample.Loss, first.Attribution.TargetValue, 1e-3);
    }

    /// <summary>An adaptive request is a row of its own: it never answers a Gauss–Legendre request with the same steps, nor
    /// the reverse; its result records the intervals it used and its completeness error.</summary>
    [Fact]
    public async Task An_adaptive_request_does_not_collide_with_a_fixed_one()
    {
        var fixedRule = new SampleAttributionRequest(AttributionMethod.IntegratedGradients, AttributionTarget.EndLogit, 16);
        var adaptive = fixedRule with { Rule = IntegrationRule.Adaptive };
        using var cache = new AttributionCache(run.Database, threads: 1);

        var a = await cache.GetOrComputeAsync(run.RunId, 2, adaptive);
        var g = await cache.GetOrComputeAsync(run.RunId, 2, fixedRule);
        var again = await cache.GetOrComputeAsync(run.RunId, 2, adaptive);

        Assert.Equal((false, false, true), (a.FromCache, g.FromCache, again.FromCache));
        Assert.Equal(2, cache.Computations);
        Assert.NotEqual(adaptive.StoredSteps, fixedRule.StoredSteps);
        Assert.Equal((IntegrationRule.Adaptive, IntegrationRule.GaussLegendre), (a.Attribution.Key.Rule, g.Attribution.Key.Rule));
        Assert.InRange(a.Attribution.Key.Steps, AdaptivePathQuadrature.InitialIntervals, 16);
        Assert.Equal(16, g.Attribution.Key.Steps);
        Assert.Equal(a.Attribution.Completeness!.RelativeError, again.CompletenessError);
        Assert.Throws<InputException>(() => (adaptive with { Steps = 4 }).Validate());
        Assert.Throws<InputException>(() => (fixedRule with { Rule = IntegrationRule.Trapezoid }).Validate());
    }

    [Fact]
    public async Task Gradient_times_input_ignores_steps_and_has_no_completeness_error()
    {
        using var cache = new AttributionCache(run.Database, threads: 1);

        var a = await cache.GetOrComputeAsync(run.RunId, 1, new SampleAttributionRequest(AttributionMethod.GradientTimesInput, AttributionTarget.StartLogit, 7));
        var b = await cache.GetOrComputeAsync(run.RunId, 1, new SampleAttributionRequest(AttributionMethod.GradientTimesInput, AttributionTarget.StartLogit, 3));

        Assert.Equal((false, true), (a.FromCache, b.FromCache));
        Assert.Null(a.CompletenessError);
        Assert.Null(b.CompletenessError);
        Assert.Equal(AttributionTarget.StartLogit, b.Attribution.Key.Target);
    }

    [Fact]
    public async Task An_unknown_sample_or_invalid_request_is_a_clear_error_and_cancellation_stops_the_computation()
    {
        using var cache = new AttributionCache(run.Database, threads: 1);

        await Assert.ThrowsAsync<InputException>(() => cache.GetOrComputeAsync(run.RunId, 9999, new(AttributionMethod.IntegratedGradients, AttributionTarget.Loss, 2)));
        await Assert.ThrowsAsync<InputException>(() => cache.GetOrComputeAsync(run.RunId, 0, new(AttributionMethod.IntegratedGradients, AttributionTarget.Loss, 0)));
        await Assert.ThrowsAsync<InputException>(() => cache.GetOrComputeAsync(run.RunId, 0, new(AttributionMethod.GradientTimesInputMinusBaseline, AttributionTarget.Loss, 0)));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.GetOrComputeAsync(run.RunId, 2, new(AttributionMethod.IntegratedGradients, AttributionTarget.Loss, 2), cancelled.Token));
        Assert.Null(cache.Find(run.RunId, 2, new(AttributionMethod.IntegratedGradients, AttributionTarget.Loss, 2)));
    }

    [Fact]
    public async Task Preparing_loads_the_model_once_ahead_of_the_first_attribution_and_computes_nothing()
    {
        var request = new SampleAttributionRequest(AttributionMethod.IntegratedGradients, AttributionTarget.StartLogit, AdaptivePathQuadrature.InitialIntervals, IntegrationRule.Adaptive);
        using var prepared = new AttributionCache(run.Database, threads: 1);

        Assert.True(await prepared.PrepareAsync(run.RunId, AttributionTarget.StartLogit));
        Assert.Equal((1, 0), (prepared.ModelLoads, prepared.Computations));
        Assert.True(await prepared.PrepareAsync(run.RunId, AttributionTarget.StartLogit));
        Assert.Equal(1, prepared.ModelLoads);
        Assert.Null(prepared.Find(run.RunId, 5, request));

        var afterPreparation = await prepared.GetOrComputeAsync(run.RunId, 5, request);
        Assert.Equal((1, 1), (prepared.ModelLoads, prepared.Computations));
        Assert.False(afterPreparation.FromCache);
        Assert.Equal(IntegrationRule.Adaptive, afterPreparation.Attribution.Key.Rule);
        Assert.True(double.IsFinite(afterPreparation.CompletenessError!.Value));
        // Another target's graph is built at its first use (or its own preparation), from the model already loaded.
        Assert.True(await prepared.PrepareAsync(run.RunId, AttributionTarget.Loss));
        Assert.Equal(1, prepared.ModelLoads);

        Assert.False(await prepared.PrepareAsync(run.RunId + 1000));
        Assert.Equal(1, prepared.ModelLoads);
    }
}

public sealed class AttributionModelCheckTests
{
    [Fact]
    public async Task Nothing_is_computed_from_a_model_folder_that_changed_since_the_run()
    {
        var database = RunFixture.NewDatabase();
        var folder = RunFixture.ModelFolder(seed: 1);
        var runId = AnalysisRunner.Run(database, RunFixture.Request(folder)).RunId;
        var request = new SampleAttributionRequest(AttributionMethod.GradientTimesInput, AttributionTarget.Loss, 0);
        using var cache = new AttributionCache(database, threads: 1);
        await cache.GetOrComputeAsync(runId, 0, request);
        Tests.Model.ModelFingerprintCacheTests.ReplaceWeights(folder, seed: 2);

        var error = await Assert.ThrowsAsync<InputException>(() => cache.GetOrComputeAsync(runId, 1, request));

        Assert.Contains($"has changed since run {runId} was analysed", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, cache.Computations);
        Assert.Null(cache.Find(runId, 1, request));
    }
}
