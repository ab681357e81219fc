using TorchSharp;
var a = torch.ones(2, 3);
var b = torch.ones(3, 2);
Console.WriteLine(torch.matmul(a, b).sum().item<float>());
