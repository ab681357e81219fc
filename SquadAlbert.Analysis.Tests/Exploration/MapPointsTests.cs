using Microsoft.Data.Sqlite;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Testing;

namespace SquadAlbert.Analysis.Tests.Exploration;

public sealed class MapPointsTests(SyntheticMapDatabase fixture) : IClassFixture<SyntheticMapDatabase>
{
    [Fact]
    public void The_catalogue_splits_fields_into_categories_and_numbers()
    {
        Assert.Equal(MapFieldKind.Categorical, MapFields.Get("split").Kind);
        Assert.Equal(MapFieldKind.Categorical, MapFields.Get("hdbscan_cluster").Kind);
        Assert.True(MapFields.Get("exact_match").IsBoolean);
        Assert.Equal(MapFieldKind.Numeric, MapFields.Get("loss").Kind);
        Assert.Equal(MapFieldKind.Numeric, MapFields.Get("label_error_score").Kind);
        Assert.Equal(MapFields.All.Count, MapFields.Categorical.Count() + MapFields.Numeric.Count());
        Assert.Equal(MapFields.All.Count, MapFields.All.Select(f => f.Name).Distinct().Count());
        var error = Assert.Throws<InputException>(() => MapFields.Get("colour"));
        Assert.Contains("unknown map field 'colour'", error.Message, StringComparison.Ordinal);
        Assert.Contains("question_type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loads_every_sample_in_index_order_with_its_columns()
    {
        var points = fixture.Points;

        Assert.Equal(SyntheticMapDatabase.Samples, points.Count);
        Assert.Equal(Enumerable.Range(0, SyntheticMapDatabase.Samples), points.SampleIndex);
        Assert.StartsWith("What does synthetic question 5 ", points.Question[5], StringComparison.Ordinal);
        Assert.Equal("answer 5", points.Gold[5]);
        Assert.True(points.HasCoordinates(MapProjection.Umap));
        Assert.True(points.HasCoordinates(MapProjection.Pca));
        Assert.DoesNotContain(points.UmapX, double.IsNaN);
        var split = points.Categorical(MapFields.Get("split"));
        Assert.Equal(["dev", "train"], split.Values);
        Assert.Equal("train", split.ValueAt(10));
        Assert.Equal("dev", split.ValueAt(11));
        var exact = points.Categorical(MapFields.Get("exact_match"));
        Assert.Subset(new HashSet<string> { MapFields.Yes, MapFields.No }, exact.Values.ToHashSet());
        Assert.All(points.Numeric(MapFields.Get("loss")), loss => Assert.True(loss > 0));
        // Correct answers have F1 = 1 (the synthetic run's rule), and exact_match says so.
        var f1 = points.Numeric(MapFields.Get("f1"));
        Assert.All(Enumerable.Range(0, points.Count).Where(i => exact.ValueAt(i) == MapFields.Yes), i => Assert.Equal(1.0, f1[i]));
    }

    [Fact]
    public void Categories_are_numbered_most_frequent_first()
    {
        var titles = fixture.Points.Categorical(MapFields.Get("title"));
        var counts = titles.Values.Select((_, code) => titles.Codes.Count(c => c == code)).ToArray();

        Assert.Equal(SyntheticRun.Titles, titles.Values.Count);
        Assert.Equal(counts.OrderByDescending(c => c), counts);
    }

    [Fact]
    public void A_run_without_a_projection_has_no_coordinates_and_missing_clusters()
    {
        var points = MapPoints.Load(fixture.Database, fixture.UnprojectedRunId);

        Assert.Equal(50, points.Count);
        Assert.False(points.HasCoordinates(MapProjection.Umap));
        Assert.False(points.HasCoordinates(MapProjection.Pca));
        Assert.All(points.UmapX, x => Assert.True(double.IsNaN(x)));
        Assert.Equal([MapFields.Missing], points.Categorical(MapFields.Get("cluster")).Values);
        Assert.All(points.Numeric(MapFields.Get("relation_char_distance")).Where((_, i) => points.Categorical(MapFields.Get("exact_match")).ValueAt(i) == MapFields.Yes),
            d => Assert.True(double.IsNaN(d)));
    }

    [Fact]
    public void A_prediction_that_differs_from_the_gold_only_by_quotation_marks_is_its_own_relation()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "squad-albert-tests", $"map-quotes-{Guid.NewGuid():N}.db");
        try
        {
            var database = AppSchema.Initialize(path);
            var runId = SyntheticRun.Create(database, 20, seed: 5);
            using (var connection = database.Open())
            using (var command = connection.CreateCommand())
            {
                // Sample 3's gold is "answer 3" (the synthetic run's rule); the reader took the quotes around it.
                command.CommandText = "UPDATE samples SET prediction = '\"answer 3\"', relation = 'normalization only' WHERE run_id = $run AND sample_index = 3";
                command.Parameters.AddWithValue("$run", runId);
                Assert.Equal(1, command.ExecuteNonQuery());
            }

            var relation = MapPoints.Load(database, runId).Categorical(MapFields.Get("relation"));

            Assert.Equal(RunSlices.QuotationMarksOnly, relation.ValueAt(3));
            Assert.Single(Enumerable.Range(0, 20), i => relation.ValueAt(i) == RunSlices.QuotationMarksOnly);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public void An_unknown_run_has_no_points()
    {
        Assert.Equal(0, MapPoints.Load(fixture.Database, 9999).Count);
    }

    [Fact]
    public void The_payload_carries_coordinates_and_indices_and_hover_lines_come_per_point_as_plain_text()
    {
        var payload = MapPointsPayload.Build(fixture.Points, MapProjection.Umap);
        Assert.Equal(SyntheticMapDatabase.Samples * 4, payload.X.Length);
        Assert.Equal((float)fixture.Points.UmapX[7], BitConverter.ToSingle(payload.X, 7 * 4));
        Assert.Equal(7, BitConverter.ToInt32(payload.SampleIndex, 7 * 4));
        Assert.Equal(payload.X.Length + payload.Y.Length + payload.SampleIndex.Length, payload.ByteSize);

        // Plain text (the browser sets it as text): markup stays as typed, neither encoded nor interpreted.
        var marked = MapPointsPayload.HoverLines(fixture.Points, SyntheticRun.MarkupEvery)!;
        Assert.Equal(3, marked.Length);
        Assert.StartsWith($"#{SyntheticRun.MarkupEvery}: ", marked[0], StringComparison.Ordinal);
        Assert.Contains(SyntheticRun.Markup[..20], marked[0], StringComparison.Ordinal);
        Assert.Equal(["gold: answer 99", $"prediction: {fixture.Points.Prediction[599]}"], MapPointsPayload.HoverLines(fixture.Points, 599)![1..]);
        Assert.Null(MapPointsPayload.HoverLines(fixture.Points, SyntheticMapDatabase.Samples));
        Assert.Null(MapPointsPayload.HoverLines(fixture.Points, -1));
    }

    [Fact]
    public void Legend_names_are_html_encoded_and_texts_shortened()
    {
        var longText = new string('x', 300);
        Assert.Equal(MapPointsPayload.QuestionChars, MapPointsPayload.Encode(longText, MapPointsPayload.QuestionChars).Length);
        Assert.EndsWith("…", MapPointsPayload.Encode(longText, MapPointsPayload.QuestionChars), StringComparison.Ordinal);
        Assert.Equal("a &lt;i&gt;", MapPointsPayload.Encode("a <i>", 60));
    }
}
