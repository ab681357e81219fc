using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Model;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Tests.Runs;

/// <summary>Everything downstream of the model works on a BERT folder as on an ALBERT one: the analysis run, the
/// latent stages, token views with WordPiece pieces, and attributions.</summary>
public sealed class BertRunTests
{
    [Fact]
    public async Task A_bert_folder_goes_through_analysis_latent_tokens_and_attribution()
    {
        var folder = RunFixture.BertModelFolder(seed: 5);
        var database = RunFixture.NewDatabase();

        var run = AnalysisRunner.Run(database, RunFixture.Request(folder));
        var latent = LatentAnalyzer.Run(database, run.RunId,
            new LatentSettings { ClusterCount = 2, MinClusterSize = 3, NeighbourCount = 5, TrustworthinessNeighbours = 3 });

        Assert.StartsWith("BERT", ModelDescription.Describe(folder), StringComparison.Ordinal);
        Assert.Equal(12, RunFixture.Scalar<int>(database, "SELECT count(*) FROM samples WHERE run_id = $run AND umap_x IS NOT NULL AND cluster IS NOT NULL", run.RunId));
        Assert.All(latent.Stages, stage => Assert.False(stage.Skipped));

        var tokenizer = ModelTokenizer.Load(folder);
        Assert.IsType<WordPieceTokenizer>(tokenizer);
        var samples = new RunSampleReader(database);
        for (var index = 0; index < 12; index++)
        {
            var sample = samples.Find(run.RunId, index)!;
            // The prediction is a span of the context, found through WordPiece offsets.
            Assert.Equal(sample.Context[sample.PredictionStart..sample.PredictionEnd], sample.Prediction);
            var view = TokenView.Build(tokenizer, sample, null);
            Assert.Equal(sample.Context, string.Concat(view.Context.Select(s => s.Text)));
            Assert.Equal(sample.Question, string.Concat(view.Question.Select(s => s.Text)));
        }

        using var cache = new AttributionCache(database, threads: 1);
        var attribution = await cache.GetOrComputeAsync(run.RunId, 0, new SampleAttributionRequest(AttributionMethod.IntegratedGradients, AttributionTarget.Loss, Steps: 8));
        Assert.NotEmpty(attribution.Attribution.Tokens);
        Assert.NotNull(attribution.CompletenessError);
        var scored = TokenView.Build(tokenizer, samples.Find(run.RunId, 0)!, attribution.Attribution);
        Assert.Contains(scored.Context, segment => segment.Score is not null);
    }
}
