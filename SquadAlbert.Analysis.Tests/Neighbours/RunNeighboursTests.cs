using SquadAlbert.Analysis.Neighbours;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Tests.Review;

namespace SquadAlbert.Analysis.Tests.Neighbours;

public sealed class RunNeighboursTests(AnalysedRun run) : IClassFixture<AnalysedRun>
{
    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            (dot, na, nb) = (dot + ((double)a[i] * b[i]), na + ((double)a[i] * a[i]), nb + ((double)b[i] * b[i]));
        }
        return dot / Math.Sqrt(na * nb);
    }

    [Fact]
    public void Nearest_samples_are_the_brute_force_cosine_ranking_with_their_rows()
    {
        var store = new RunStore(run.Database);
        var samples = new RunSampleReader(run.Database).All(run.RunId);
        var embeddings = samples.ToDictionary(s => s.SampleIndex, s => store.Embedding(run.RunId, s.SampleIndex, EmbeddingKinds.ContextMean)!);
        var neighbours = RunNeighbours.Load(run.Database, run.RunId);
        Assert.Equal(samples.Count, neighbours.Count);

        foreach (var query in samples)
        {
            var expected = samples.Where(s => s.SampleIndex != query.SampleIndex)
                .Select(s => (s.SampleIndex, Similarity: Cosine(embeddings[query.SampleIndex], embeddings[s.SampleIndex])))
                .OrderByDescending(p => p.Similarity).ThenBy(p => p.SampleIndex).Take(5).ToList();

            var found = neighbours.Nearest(query.SampleIndex, 5);

            Assert.Equal(expected.Select(e => e.SampleIndex), found.Select(f => f.SampleIndex));
            Assert.All(expected.Zip(found), p => Assert.Equal(p.First.Similarity, p.Second.Similarity, 1e-5));
            foreach (var neighbour in found)
            {
                var row = samples.Single(s => s.SampleIndex == neighbour.SampleIndex);
                Assert.Equal((row.Question, row.GoldAnswers[0].Text, row.Prediction, row.Loss, row.F1),
                    (neighbour.Question, neighbour.Gold, neighbour.Prediction, neighbour.Loss, neighbour.F1));
            }
        }
    }

    [Fact]
    public void More_neighbours_than_samples_give_all_others_and_an_unknown_sample_none()
    {
        var neighbours = RunNeighbours.Load(run.Database, run.RunId);

        Assert.Equal(neighbours.Count - 1, neighbours.Nearest(0, 1000).Count);
        Assert.Empty(neighbours.Nearest(9999, 10));
        Assert.Equal(0, RunNeighbours.Load(run.Database, run.RunId + 100).Count);
    }
}
