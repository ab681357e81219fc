using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Benchmarks;

// Usage: dotnet run -c Release --project SquadAlbert.Benchmarks -- onnx|neighbours|clustering|attribution [--quick]
//        dotnet run -c Release --project SquadAlbert.Benchmarks -- clustering --size N [--dimension D] [--no-reference]
//        dotnet run -c Release --project SquadAlbert.Benchmarks -- knn [--quick] [--size N]
//        dotnet run -c Release --project SquadAlbert.Benchmarks -- umap [--quick] [--sizes 10000,50000] [--db RUN_DB [--run ID]] [--no-reference] [--umap-js DIR]
//        dotnet run -c Release --project SquadAlbert.Benchmarks -- map [--quick] [--keep DB_FILE]
//        dotnet run -c Release --project SquadAlbert.Benchmarks -- int8 [--model DIR] [--windows 64] [--data FILE] [--batch-size 32] [--rounds 2] [--threads N] [--schemes all|default]
//        dotnet run -c Release --project SquadAlbert.Benchmarks -- random-model DIR SPIECE_MODEL
return args.FirstOrDefault() switch
{
    "onnx" => OnnxBenchmark.Run(quick: args.Contains("--quick")),
    "neighbours" => NeighboursBenchmark.Run(quick: args.Contains("--quick")),
    "knn" => KnnBenchmark.Run(quick: args.Contains("--quick"), size: OptionValue(args, "--size") is { } size ? int.Parse(size, System.Globalization.CultureInfo.InvariantCulture) : null),
    "clustering" when OptionValue(args, "--size") is { } size =>
        ClusteringBenchmark.RunSpanningTree(int.Parse(size, System.Globalization.CultureInfo.InvariantCulture), reference: !args.Contains("--no-reference"),
            dimension: OptionValue(args, "--dimension") is { } d ? int.Parse(d, System.Globalization.CultureInfo.InvariantCulture) : 2),
    "clustering" => ClusteringBenchmark.Run(quick: args.Contains("--quick")),
    "attribution" => AttributionBenchmark.Run(quick: args.Contains("--quick")),
    "umap" => UmapBenchmark.Run(args),
    "int8" => Int8Benchmark.Run(args),
    "map" => MapBenchmark.Run(quick: args.Contains("--quick"), keepDatabase: OptionValue(args, "--keep")),
    "random-model" when args.Length == 3 => WriteRandomModel(args[1], args[2]),
    _ => Usage(),
};

// A random small ALBERT (the benchmark's small shape) sized for the given tokenizer: for end-to-end timing of
// `squad-albert predict`; its answers are meaningless.
static int WriteRandomModel(string directory, string spieceModel)
{
    var vocabulary = SquadAlbert.Analysis.Text.AlbertTokenizer.Load(spieceModel).VocabularySize;
    QaCheckpoint.Random(OnnxBenchmark.Small with { VocabSize = vocabulary }, seed: 1, scale: 0.02f).Save(directory);
    File.Copy(spieceModel, Path.Combine(directory, SquadAlbert.Analysis.Text.ModelTokenizer.SentencePieceFileName), overwrite: true);
    Console.WriteLine($"wrote {directory}");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: SquadAlbert.Benchmarks onnx|neighbours|clustering|attribution [--quick] | clustering --size N [--dimension D] [--no-reference] | knn [--quick] [--size N] | umap [--quick] [--sizes N,N] [--db FILE [--run ID]] [--no-reference] [--umap-js DIR] | map [--quick] [--keep DB_FILE] | int8 [--model DIR] [--windows N] [--data FILE] [--batch-size N] [--rounds N] [--threads N] [--schemes all|default] | random-model DIR SPIECE_MODEL");
    return 2;
}

static string? OptionValue(string[] args, string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
