using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using SquadAlbert.Dashboard.Hosting;

namespace SquadAlbert.Dashboard.Tests.Hosting;

public sealed class SquadAlbertSettingsTests
{
    [Fact]
    public void The_section_binds_every_path_and_relative_ones_count_from_the_content_root()
    {
        var root = Path.Combine(Path.GetTempPath(), "squad-albert-settings", "app");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SquadAlbert:Database"] = "../runs.db",
            ["SquadAlbert:ModelDirectory"] = "/models/reader",
            ["SquadAlbert:DataDirectory"] = " data ",
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IWebHostEnvironment>(new Environment { ContentRootPath = root })
            .AddSquadAlbertSettings(configuration)
            .BuildServiceProvider();

        var settings = services.GetRequiredService<IOptions<SquadAlbertSettings>>().Value;

        Assert.Equal(Path.GetFullPath(Path.Combine(root, "..", "runs.db")), settings.Database);
        Assert.Equal("/models/reader", settings.ModelDirectory);
        Assert.Equal(Path.Combine(root, "data"), settings.DataDirectory);
    }

    [Fact]
    public void Unset_paths_stay_unset_so_the_locators_fall_back_to_their_defaults()
    {
        var settings = SquadAlbertSettings.Resolved(new SquadAlbertSettings { Database = " " }, "/app").Value;

        Assert.Equal((null, null, null), (settings.Database, settings.ModelDirectory, settings.DataDirectory));
    }

    private sealed class Environment : IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = "";
        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();
        public string ApplicationName { get; set; } = "test";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
        public string ContentRootPath { get; set; } = "";
        public string EnvironmentName { get; set; } = "Development";
    }
}
