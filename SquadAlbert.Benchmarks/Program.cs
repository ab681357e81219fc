using SquadAlbert.Benchmarks;

// Usage: dotnet run -c Release --project SquadAlbert.Benchmarks -- onnx [--quick]
return args.FirstOrDefault() switch
{
    "onnx" => OnnxBenchmark.Run(quick: args.Contains("--quick")),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: SquadAlbert.Benchmarks onnx [--quick]");
    return 2;
}
