using SquadAlbert.Analysis.Model;

namespace SquadAlbert.Analysis.Runs;

/// <summary>
/// Whether a run's model folder still holds the files the run was analysed with. Tokens, attribution heatmaps and the
/// windows they are built on are re-derived from the folder <c>runs.model_path</c> names; when its files changed (a
/// retrained model written over the old one), those would silently mix with the stored predictions and losses.
/// </summary>
public static class RunModelCheck
{
    /// <summary>Null when the folder's files hash to <c>runs.model_sha256</c>, or when the folder is gone (whoever needs the
    /// model says that itself); otherwise a sentence saying what changed.</summary>
    public static string? Changed(RunInfo run, ModelFingerprintCache fingerprints)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(fingerprints);
        if (!Directory.Exists(run.ModelPath))
        {
            return null;
        }
        string current;
        try
        {
            current = fingerprints.Sha256(run.ModelPath);
        }
        catch (InputException)
        {
            return $"The model folder '{run.ModelPath}' of run {run.Id} holds no model files any more.";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"The model folder '{run.ModelPath}' of run {run.Id} cannot be read to check it is the analysed model: {e.Message}";
        }
        return string.Equals(current, run.ModelSha256, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"The model folder '{run.ModelPath}' has changed since run {run.Id} was analysed: its files hash to {Short(current)}, " +
              $"the run recorded {Short(run.ModelSha256)} (runs.model_sha256).";
    }

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] + "…" : sha;
}
