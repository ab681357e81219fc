using TorchSharp;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Training.Model;
var cfg = new AlbertTrainingConfig(new AlbertConfig(100, 16, 32, 4, 2, 2, 4, 64, AlbertActivation.GeluTanh, 64, 2, 1e-12));
var m = new AlbertQaModel(cfg);
foreach (var (n, p) in m.named_parameters()) Console.WriteLine($"{n} [{string.Join(",", p.shape)}]");
var ids = torch.randint(1, 100, new long[] { 2, 10 });
var l = m.Forward(ids, torch.zeros_like(ids), torch.ones_like(ids));
Console.WriteLine(AlbertQaModel.SpanLoss(l, torch.tensor(new long[] { 1, 2 }), torch.tensor(new long[] { 3, 20 })).item<float>());
