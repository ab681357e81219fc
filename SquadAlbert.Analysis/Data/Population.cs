using System.Globalization;
using System.Text;

namespace SquadAlbert.Analysis.Data;

/// <summary>
/// How one split was drawn. <see cref="Available"/> counts the questions of its titles; when fewer than
/// <see cref="Requested"/>, all were taken and <see cref="IsShort"/> says so.
/// </summary>
public sealed record PopulationSplit(string Name, string SourceFile, IReadOnlyList<string>? Titles, int? Requested, int Available, int Drawn)
{
    public bool IsShort => Requested is { } requested && Drawn < requested;
}

public sealed record PopulationMember(SquadExample Example, string Split);

/// <summary>
/// The questions an analysis runs on, each tagged with its split, in split order and file order within a split.
/// <see cref="Seed"/> is null when nothing was sampled.
/// </summary>
public sealed record Population(string Preset, ulong? Seed, IReadOnlyList<PopulationSplit> Splits, IReadOnlyList<PopulationMember> Members)
{
    /// <summary>Drawn from SQuAD 2.0 files (<see cref="SquadDataset.IsVersion2"/>): questions may be unanswerable and the
    /// reader may abstain. A population never mixes the two versions (<see cref="PopulationPresets.Draw"/>).</summary>
    public bool IsVersion2 { get; init; }

    /// <summary>One line per split saying how it was drawn, e.g. for a report header or the dashboard.</summary>
    public string Description
    {
        get
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"preset '{Preset}'");
            text.Append(Seed is { } seed ? string.Create(CultureInfo.InvariantCulture, $", seed {seed}") : ", no sampling");
            foreach (var split in Splits)
            {
                text.AppendLine();
                text.Append(CultureInfo.InvariantCulture, $"{split.Name}: {split.Drawn:N0} questions");
                if (split.Requested is { } requested)
                {
                    text.Append(split.IsShort
                        ? string.Create(CultureInfo.InvariantCulture, $" (all there are; {requested:N0} requested)")
                        : string.Create(CultureInfo.InvariantCulture, $" sampled from {split.Available:N0}"));
                }
                text.Append(CultureInfo.InvariantCulture, $" from {split.SourceFile}, ");
                text.Append(split.Titles is null ? "all titles" : "titles " + string.Join(", ", split.Titles));
            }
            return text.ToString();
        }
    }
}

/// <summary>Sizes of the <c>tensorleap</c> preset; the defaults are the preset's definition.</summary>
public sealed record TensorleapSizes(int Training = 4000, int Validation = 2000, int Test = 2000, int TitlesPerSplit = 3);

/// <summary>
/// Draws populations. Titles rank by question count with ties in ordinal order
/// (<see cref="DatasetStatistics.RankTitles"/>); sampling uses <see cref="SplitMix64"/> seeded from the seed and
/// the split name, so each split's draw depends only on its own request and the seed.
/// </summary>
public static class PopulationPresets
{
    public const string TensorleapPreset = "tensorleap";
    public const string DevPreset = "dev";
    public const string CustomPreset = "custom";
    public const string TrainingSplit = "training";
    public const string ValidationSplit = "validation";
    public const string TestSplit = "test";
    public const ulong DefaultSeed = 42;

    /// <summary>
    /// training: the top titles of train; validation: the top titles of dev; test: the next titles of dev.
    /// </summary>
    public static Population Tensorleap(SquadDataset train, SquadDataset dev, ulong seed = DefaultSeed, TensorleapSizes? sizes = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(dev);
        sizes ??= new TensorleapSizes();
        var n = sizes.TitlesPerSplit;
        var devTitles = TitleNames(dev, 2 * n);
        return Draw(TensorleapPreset, seed,
        [
            new SplitRequest(TrainingSplit, train.SourcePath, sizes.Training, TitleNames(train, n)),
            new SplitRequest(ValidationSplit, dev.SourcePath, sizes.Validation, [.. devTitles.Take(n)]),
            new SplitRequest(TestSplit, dev.SourcePath, sizes.Test, [.. devTitles.Skip(n)]),
        ], file => file == train.SourcePath ? train : dev);
    }

    /// <summary>Every question of the dev set (dev-v1.1, dev-v2.0 or another file) in one split named "validation", the name SQuAD's dev set has in most toolkits.</summary>
    public static Population Dev(SquadDataset dev)
    {
        ArgumentNullException.ThrowIfNull(dev);
        return Draw(DevPreset, null, [new SplitRequest(ValidationSplit, dev.SourcePath, null, null)], _ => dev);
    }

    /// <summary>The given splits; <paramref name="load"/> gives the dataset of each split's <see cref="SplitRequest.File"/>.</summary>
    public static Population Custom(IReadOnlyList<SplitRequest> splits, Func<string, SquadDataset> load, ulong seed = DefaultSeed) =>
        Draw(CustomPreset, seed, splits, load);

    /// <summary>
    /// Draws each split. A question may not land in two splits, titles must exist in their file, sizes must be
    /// positive, split names distinct, and every file of one SQuAD version (1.1 or 2.0: a v2.0 run abstains and is
    /// scored with the v2.0 metrics, which a v1.1 split would not be); breaking any of these is an <see cref="InputException"/>.
    /// <paramref name="load"/> gives the dataset of a split's <see cref="SplitRequest.File"/>.
    /// </summary>
    public static Population Draw(string preset, ulong? seed, IReadOnlyList<SplitRequest> splits, Func<string, SquadDataset> load)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(splits);
        ArgumentNullException.ThrowIfNull(load);
        var splitOf = new Dictionary<(string Source, string Id), string>();
        var members = new List<PopulationMember>();
        var drawnSplits = new List<PopulationSplit>();
        SquadDataset? firstSource = null;
        foreach (var request in splits)
        {
            if (drawnSplits.Any(s => s.Name == request.Name))
            {
                throw new InputException($"population: split '{request.Name}' is defined twice.");
            }
            if (request.Size is <= 0)
            {
                throw new InputException($"population: split '{request.Name}' asks for {request.Size} questions; the size must be positive.");
            }
            var source = load(request.File);
            firstSource ??= source;
            if (source.IsVersion2 != firstSource.IsVersion2)
            {
                throw new InputException(
                    $"Split '{request.Name}': {source.FileName} is {source.VersionName} but {firstSource.FileName} (split '{splits[0].Name}') is " +
                    $"{firstSource.VersionName}; a population draws from one SQuAD version, since a 2.0 run abstains and is scored with the " +
                    "v2.0 metrics. Use only v1.1 files or only v2.0 files.");
            }
            var candidates = Candidates(request, source);
            var chosen = request.Size is { } size && size < candidates.Count
                ? Sample(candidates, size, new SplitMix64((seed ?? DefaultSeed) ^ StableHash(request.Name)))
                : candidates;
            foreach (var example in chosen)
            {
                if (!splitOf.TryAdd((source.SourcePath, example.Id), request.Name))
                {
                    throw new InputException(
                        $"population: question '{example.Id}' of {source.FileName} (title '{example.Title}') would be in both split '{splitOf[(source.SourcePath, example.Id)]}' and '{request.Name}'.");
                }
                members.Add(new PopulationMember(example, request.Name));
            }
            drawnSplits.Add(new PopulationSplit(request.Name, source.FileName, request.Titles, request.Size, candidates.Count, chosen.Count));
        }
        return new Population(preset, splits.Any(s => s.Size is not null) ? seed : null, drawnSplits, members)
        {
            IsVersion2 = firstSource?.IsVersion2 ?? false,
        };
    }

    private static List<string> TitleNames(SquadDataset dataset, int count) =>
        [.. DatasetStatistics.RankTitles(dataset.Examples).Take(count).Select(t => t.Title)];

    private static List<SquadExample> Candidates(SplitRequest request, SquadDataset source)
    {
        if (request.Titles is null)
        {
            return [.. source.Examples];
        }
        var wanted = request.Titles.ToHashSet(StringComparer.Ordinal);
        var candidates = source.Examples.Where(e => wanted.Contains(e.Title)).ToList();
        var missing = wanted.Except(candidates.Select(e => e.Title), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new InputException(
                $"population: split '{request.Name}' names title(s) {string.Join(", ", missing.Select(t => $"'{t}'"))} that have no questions in {source.SourcePath}.");
        }
        return candidates;
    }

    /// <summary>Partial Fisher–Yates over positions; the chosen questions are returned in file order.</summary>
    private static List<SquadExample> Sample(List<SquadExample> candidates, int size, SplitMix64 random)
    {
        var positions = Enumerable.Range(0, candidates.Count).ToArray();
        for (var i = 0; i < size; i++)
        {
            var j = i + random.NextBelow(positions.Length - i);
            (positions[i], positions[j]) = (positions[j], positions[i]);
        }
        Array.Sort(positions, 0, size);
        return [.. positions.Take(size).Select(p => candidates[p])];
    }

    /// <summary>FNV-1a over the UTF-16 code units: string.GetHashCode is randomized per process.</summary>
    private static ulong StableHash(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }
        return hash;
    }
}
