using SquadAlbert.Dashboard.Hosting;
using Microsoft.Extensions.Configuration;
using SquadAlbert.Analysis;

namespace SquadAlbert.Dashboard.Tests.Features.Datasets;

public sealed class DatasetCatalogTests : IDisposable
{
    private readonly DataFolderFixture _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Lists_official_files_first_then_by_name()
    {
        _data.Write("b.json", DataFolderFixture.Clean);
        _data.Write("a.json", DataFolderFixture.Clean);
        _data.Write("dev-v1.1.json", DataFolderFixture.Clean);
        _data.Write("notes.txt", "not json");

        Assert.Equal(["dev-v1.1.json", "a.json", "b.json"], _data.Catalog.ListFiles());
    }

    [Fact]
    public void A_missing_folder_lists_no_files()
    {
        var catalog = DataFolderFixture.CatalogFor(Path.Combine(_data.Folder, "absent"));

        Assert.Empty(catalog.ListFiles());
    }

    [Fact]
    public async Task Loads_once_and_shares_the_result()
    {
        _data.Write("tiny.json", DataFolderFixture.OneBadAnswer);
        var catalog = _data.Catalog;

        var first = await catalog.LoadAsync("tiny.json");
        var second = await catalog.LoadAsync("tiny.json");

        Assert.Same(first, second);
        Assert.Equal(1, first.Statistics.Questions);
        Assert.Single(first.Dataset.Validation.Problems);
    }

    [Fact]
    public async Task A_failed_load_is_not_cached_so_a_fixed_file_loads()
    {
        var path = _data.Write("broken.json", "{\"data\": [");
        var catalog = _data.Catalog;

        await Assert.ThrowsAsync<InputException>(() => catalog.LoadAsync("broken.json"));

        File.WriteAllText(path, DataFolderFixture.Clean);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
        var view = await catalog.LoadAsync("broken.json");
        Assert.Equal(1, view.Statistics.Questions);
    }

    [Fact]
    public async Task Only_the_latest_version_of_a_file_is_kept()
    {
        var path = _data.Write("tiny.json", DataFolderFixture.Clean);
        var firstTime = File.GetLastWriteTimeUtc(path);
        var catalog = _data.Catalog;

        var first = await catalog.LoadAsync("tiny.json");
        File.WriteAllText(path, DataFolderFixture.OneBadAnswer);
        File.SetLastWriteTimeUtc(path, firstTime.AddSeconds(5));
        var edited = await catalog.LoadAsync("tiny.json");
        File.WriteAllText(path, DataFolderFixture.Clean);
        File.SetLastWriteTimeUtc(path, firstTime);
        var restored = await catalog.LoadAsync("tiny.json");

        Assert.Single(edited.Dataset.Validation.Problems);
        Assert.Empty(restored.Dataset.Validation.Problems);
        // The first version was dropped when the edited one was loaded, so its old time is parsed again, not served stale.
        Assert.NotSame(first, restored);
        Assert.Equal(1, catalog.CachedVersions);
    }

    [Fact]
    public async Task A_file_outside_the_folder_cannot_be_reached()
    {
        var outside = Path.Combine(Path.GetDirectoryName(_data.Folder)!, "outside-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(outside, DataFolderFixture.Clean);
        try
        {
            var error = await Assert.ThrowsAsync<InputException>(() => _data.Catalog.LoadAsync("../" + Path.GetFileName(outside)));
            Assert.Contains("not found", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public void A_relative_configured_folder_is_taken_from_the_content_root()
    {
        var contentRoot = Path.Combine(_data.Folder, "app");

        var catalog = new Dashboard.Features.Datasets.DatasetCatalog(
            SquadAlbertSettings.Resolved(new SquadAlbertSettings { DataDirectory = "../data" }, contentRoot), readEnvironment: _ => null);

        Assert.Equal(Path.Combine(_data.Folder, "data"), catalog.DataDirectory.Path);
    }
}
