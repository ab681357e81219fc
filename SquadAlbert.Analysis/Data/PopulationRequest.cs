using System.Globalization;

namespace SquadAlbert.Analysis.Data;

/// <summary>
/// One split of a population as asked for: questions of <paramref name="Titles"/> (null: every title) from
/// <paramref name="File"/> (a name in the data folder or a path), <paramref name="Size"/> of them sampled without
/// replacement (null: all). Written as text it is <see cref="Syntax"/>.
/// </summary>
public sealed record SplitRequest(string Name, string File, int? Size, IReadOnlyList<string>? Titles)
{
    /// <summary>The text form <see cref="Parse"/> reads; titles may hold commas and colons, never semicolons.</summary>
    public const string Syntax = "NAME=FILE:SIZE:TITLE[;TITLE...]  (SIZE a number or 'all', TITLES '*' for all)";

    /// <summary>Reads <see cref="Syntax"/>, e.g. <c>part=dev-v1.1.json:100:Super_Bowl_50;Normans</c>.</summary>
    /// <exception cref="InputException">The text does not follow the syntax, the size is not positive, or no title is named.</exception>
    public static SplitRequest Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var parts = equals > 0 ? text[(equals + 1)..].Split(':', 3) : [];
        if (parts.Length != 3 || parts[0].Length == 0)
        {
            throw new InputException($"Split '{text}' is not {Syntax}.");
        }
        int? size = null;
        if (!parts[1].Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
            {
                throw new InputException($"Split '{text}': size '{parts[1]}' must be a positive number or 'all'.");
            }
            size = number;
        }
        var titles = parts[2].Trim() == "*"
            ? null
            : parts[2].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (titles is { Length: 0 })
        {
            throw new InputException($"Split '{text}' names no titles; use '*' for all titles.");
        }
        return new SplitRequest(text[..equals].Trim(), parts[0], size, titles);
    }
}

/// <summary>
/// The population a user asks for, in the same terms on the command line and in the dashboard: a
/// <paramref name="Preset"/> (<see cref="PopulationPresets"/>), optionally one <paramref name="DataFile"/> instead of
/// the data folder (dev preset only), the sampling <paramref name="Seed"/>, and the <paramref name="Splits"/> of the
/// custom preset. <paramref name="SquadVersion"/> ("1.1" or "2.0") picks the data-folder files of the dev and tensorleap
/// presets (dev-v1.1.json and train-v1.1.json, or dev-v2.0.json and train-v2.0.json); a given file and the custom
/// preset's files carry their own version, and a population never mixes the two (see <see cref="PopulationPresets.Draw"/>).
/// <see cref="Validate"/> and <see cref="Draw"/> report mistakes as an <see cref="InputException"/>
/// whose message starts with the field to fix (Preset, Data, Split, Version).
/// </summary>
public sealed record PopulationRequest(
    string Preset, string? DataFile = null, ulong Seed = PopulationPresets.DefaultSeed, IReadOnlyList<SplitRequest>? Splits = null,
    string SquadVersion = PopulationRequest.Version11)
{
    public const string Version11 = "1.1";
    public const string Version20 = "2.0";

    /// <summary>The versions <see cref="SquadVersion"/> may name.</summary>
    public static IReadOnlyList<string> Versions { get; } = [Version11, Version20];

    /// <summary>The presets a request may name, in the order front ends offer them.</summary>
    public static IReadOnlyList<string> Presets { get; } =
        [PopulationPresets.DevPreset, PopulationPresets.TensorleapPreset, PopulationPresets.CustomPreset];

    /// <exception cref="InputException">The request cannot be drawn; the message names the field.</exception>
    public void Validate()
    {
        if (!Presets.Contains(Preset, StringComparer.Ordinal))
        {
            throw new InputException($"Preset: '{Preset}' is not one of {string.Join(", ", Presets)}.");
        }
        if (!Versions.Contains(SquadVersion, StringComparer.Ordinal))
        {
            throw new InputException($"Version: '{SquadVersion}' is not one of {string.Join(", ", Versions)}.");
        }
        if (DataFile is not null && Preset != PopulationPresets.DevPreset)
        {
            throw new InputException(
                $"Data: a single data file ({DataFile}) only goes with the dev preset; the {Preset} preset draws from the data folder.");
        }
        var splits = Splits ?? [];
        if (splits.Count > 0 != (Preset == PopulationPresets.CustomPreset))
        {
            throw new InputException("Split: the custom preset needs at least one split, and only the custom preset takes splits.");
        }
        foreach (var split in splits)
        {
            if (string.IsNullOrWhiteSpace(split.Name) || string.IsNullOrWhiteSpace(split.File))
            {
                throw new InputException($"Split: every split needs a name and a file ({split.Name}={split.File}).");
            }
            if (split.Size is <= 0)
            {
                throw new InputException(string.Create(CultureInfo.InvariantCulture,
                    $"Split '{split.Name}': size {split.Size} is not positive; leave it out for all questions."));
            }
        }
    }

    /// <summary>
    /// Validates, loads each SQuAD file once and draws the population. <paramref name="resolveFile"/> turns a file
    /// name or path into a full path (throwing <see cref="InputException"/> when there is none);
    /// <paramref name="dataFiles"/> lists the full paths read, in first-use order.
    /// </summary>
    /// <exception cref="InputException">The request is invalid, a file is missing or not SQuAD, or a split cannot be drawn.</exception>
    public Population Draw(Func<string, string> resolveFile, out IReadOnlyList<string> dataFiles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolveFile);
        Validate();
        var loaded = new Dictionary<string, SquadDataset>(StringComparer.Ordinal);
        var order = new List<string>();
        SquadDataset Load(string nameOrPath)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = resolveFile(nameOrPath);
            if (!loaded.TryGetValue(path, out var dataset))
            {
                loaded[path] = dataset = SquadLoader.Load(path);
                order.Add(path);
            }
            return dataset;
        }
        var v2 = SquadVersion == Version20;
        var population = Preset switch
        {
            PopulationPresets.DevPreset => PopulationPresets.Dev(Load(DataFile ?? (v2 ? SquadFiles.DevV20 : SquadFiles.DevV11))),
            PopulationPresets.TensorleapPreset => PopulationPresets.Tensorleap(
                Load(v2 ? SquadFiles.TrainV20 : SquadFiles.TrainV11), Load(v2 ? SquadFiles.DevV20 : SquadFiles.DevV11), Seed),
            _ => PopulationPresets.Custom(Splits!, Load, Seed),
        };
        dataFiles = order;
        return population;
    }
}
