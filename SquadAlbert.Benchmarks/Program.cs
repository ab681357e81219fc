using SquadAlbert.Benchmarks;

// Usage: dotnet run -c Release --project SquadAlbert.Benchmarks -- onnx [--quick]
//        dotnet run -c Release --project SquadAlbert.Benchmarks -- umap [--quick] [--sizes 10000,100000]
return args.FirstOrDefault() switch
{
    "onnx" => OnnxBenchmark.Run(quick: args.Contains("--quick")),
    "umap" => UmapBenchmark.Run(UmapSizes(args)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: SquadAlbert.Benchmarks onnx [--quick] | umap [--quick] [--sizes 10000,100000]");
    return 2;
}

static int[] UmapSizes(string[] args)
{
    var at = Array.IndexOf(args, "--sizes");
    if (at >= 0 && at + 1 < args.Length)
    {
        return [.. args[at + 1].Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))];
    }
    return args.Contains("--quick") ? [10_000] : [10_000, 100_000];
}
