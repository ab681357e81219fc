using SquadAlbert.Benchmarks;

// Usage: dotnet run -c Release --project SquadAlbert.Benchmarks -- onnx|neighbours|clustering [--quick]
return args.FirstOrDefault() switch
{
    "onnx" => OnnxBenchmark.Run(quick: args.Contains("--quick")),
    "neighbours" => NeighboursBenchmark.Run(quick: args.Contains("--quick")),
    "clustering" => ClusteringBenchmark.Run(quick: args.Contains("--quick")),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: SquadAlbert.Benchmarks onnx|neighbours|clustering [--quick]");
    return 2;
}
