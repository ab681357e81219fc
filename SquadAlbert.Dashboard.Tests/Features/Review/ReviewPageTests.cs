using SquadAlbert.Dashboard.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using MudBlazor.Services;
using SquadAlbert.Analysis.Configuration;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Dashboard.Features.Review;
using SquadAlbert.Dashboard.Features.Runs;
using SquadAlbert.Testing;

namespace SquadAlbert.Dashboard.Tests.Features.Review;

public sealed class ReviewPageTests : IDisposable
{
    private const int Samples = 60;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly string _path = Path.Combine(Path.GetTempPath(), "squad-albert-tests", $"dashboard-review-{Guid.NewGuid():N}.db");
    private readonly long _runId;

    public ReviewPageTests()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _runId = SyntheticRun.Create(AppSchema.Initialize(_path), Samples, seed: 8);
    }

    [Fact]
    public async Task The_label_kind_select_shows_only_the_samples_of_that_kind_with_their_kind_chips()
    {
        await using var ctx = NewContext();
        var expected = new RunSampleReader(AppSchema.Initialize(_path)).All(_runId).Count(s => s.Label.Kind == LabelKind.Ambiguous);
        Assert.InRange(expected, 1, ReviewPage.PageSize);

        var page = ctx.Render<ReviewPage>(p => p.Add(x => x.RunId, _runId));
        page.WaitForElement("[data-testid=review-queue]", Wait);
        Assert.Equal(ReviewPage.PageSize, page.FindAll("[data-testid=review-item]").Count);
        var select = page.FindComponent<MudSelect<string>>();
        Assert.Equal(ReviewOrder.AnyKind, select.Instance.GetState(x => x.Value));

        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(LabelKind.Ambiguous.Label()));

        page.WaitForAssertion(() => Assert.Equal(expected, page.FindAll("[data-testid=review-item]").Count), Wait);
        Assert.All(page.FindAll("[data-testid=item-kind]"), chip => Assert.Equal("ambiguous", chip.TextContent.Trim()));
        Assert.Equal(LabelKind.Ambiguous.Label(), page.FindComponent<MudSelect<string>>().Instance.GetState(x => x.Value));

        await page.InvokeAsync(() => page.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync(ReviewOrder.AnyKind));
        page.WaitForAssertion(() => Assert.Equal(ReviewPage.PageSize, page.FindAll("[data-testid=review-item]").Count), Wait);
    }

    private BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton(new RunDatabase(SquadAlbertSettings.Resolved(new SquadAlbertSettings { Database = _path }, Path.GetTempPath())));
        ctx.Services.AddSampleReview();
        ctx.Render<MudPopoverProvider>();
        return ctx;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
