using SquadAlbert.Analysis.Configuration;

namespace SquadAlbert.Dashboard.Features.Runs;

/// <summary>The default model folder for new runs: <c>SQUADALBERT_MODEL</c>, else <c>SquadAlbert:ModelDirectory</c>, else the shipped model.</summary>
public sealed class ModelSetting(IConfiguration configuration, string contentRoot)
{
    /// <summary>The resolved folder, or null with <paramref name="problem"/> saying why (no model shipped or configured).</summary>
    public ResolvedSetting? Resolve(out string? problem)
    {
        var configured = configuration[DefaultModelLocator.ConfigurationKey];
        if (!string.IsNullOrWhiteSpace(configured) && !Path.IsPathRooted(configured))
        {
            configured = Path.Combine(contentRoot, configured);
        }
        try
        {
            problem = null;
            return DefaultModelLocator.Resolve(null, configured);
        }
        catch (Analysis.InputException e)
        {
            problem = e.Message;
            return null;
        }
    }
}
