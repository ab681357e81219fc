using Microsoft.Extensions.Options;
using SquadAlbert.Analysis.Configuration;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Dashboard.Hosting;

/// <summary>
/// The dashboard's paths, bound from the <c>SquadAlbert</c> configuration section (<c>appsettings.json</c>, or the command
/// line as <c>--SquadAlbert:Database=FILE</c>). A relative path counts from the content root (<c>SquadAlbert.Dashboard/</c>),
/// so a setting means the same folder whatever directory the app was started from — resolved here, once, for every
/// consumer. The shared locators of <see cref="Analysis.Configuration"/> then put the one documented environment variable
/// of each setting (<c>SQUADALBERT_DB</c>, <c>SQUADALBERT_MODEL</c>, <c>SQUADALBERT_DATA</c>) before it, as the CLI does.
/// </summary>
public sealed class SquadAlbertSettings
{
    /// <summary>The configuration section the settings are bound from.</summary>
    public const string Section = "SquadAlbert";

    /// <summary>The run database (<see cref="RunDatabaseLocator.ConfigurationKey"/>).</summary>
    public string? Database { get; set; }

    /// <summary>The default model folder for new runs (<see cref="DefaultModelLocator.ConfigurationKey"/>).</summary>
    public string? ModelDirectory { get; set; }

    /// <summary>The SQuAD data folder (<see cref="SquadDataLocator.ConfigurationKey"/>).</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Makes every relative path absolute against <paramref name="contentRoot"/>; unset paths stay unset.</summary>
    public void ResolveAgainst(string contentRoot)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentRoot);
        Database = Absolute(Database, contentRoot);
        ModelDirectory = Absolute(ModelDirectory, contentRoot);
        DataDirectory = Absolute(DataDirectory, contentRoot);
    }

    /// <summary>Settings as configured, resolved against <paramref name="contentRoot"/> (for code and tests that build services by hand).</summary>
    public static IOptions<SquadAlbertSettings> Resolved(SquadAlbertSettings settings, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.ResolveAgainst(contentRoot);
        return Options.Create(settings);
    }

    private static string? Absolute(string? path, string contentRoot) =>
        string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path.Trim(), contentRoot);
}

public static class SquadAlbertSettingsRegistration
{
    /// <summary>Binds <see cref="SquadAlbertSettings"/> from <paramref name="configuration"/> and resolves its relative paths
    /// against the host's content root.</summary>
    public static IServiceCollection AddSquadAlbertSettings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SquadAlbertSettings>()
            .Bind(configuration.GetSection(SquadAlbertSettings.Section))
            .PostConfigure<IWebHostEnvironment>((settings, environment) => settings.ResolveAgainst(environment.ContentRootPath));
        return services;
    }
}
