using Microsoft.Extensions.Options;
using SquadAlbert.Analysis.Configuration;
using SquadAlbert.Dashboard.Hosting;

namespace SquadAlbert.Dashboard.Features.Runs;

/// <summary>The default model folder for new runs: <c>SQUADALBERT_MODEL</c>, else <see cref="SquadAlbertSettings.ModelDirectory"/>, else the shipped model.</summary>
public sealed class ModelSetting(IOptions<SquadAlbertSettings> settings)
{
    /// <summary>The resolved folder, or null with <paramref name="problem"/> saying why (no model shipped or configured).</summary>
    public ResolvedSetting? Resolve(out string? problem)
    {
        try
        {
            problem = null;
            return DefaultModelLocator.Resolve(null, settings.Value.ModelDirectory);
        }
        catch (Analysis.InputException e)
        {
            problem = e.Message;
            return null;
        }
    }
}
