using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SquadAlbert.Training.Model;

/// <summary>
/// A container that only names its parts, so that <c>named_parameters()</c> yields Hugging Face's names whatever
/// nesting a family uses (<c>attention.self.query</c> in BERT, <c>attention.query</c> in ALBERT): the modules that
/// compute are attached by dotted path, and the containers along the path are created on the way.
/// </summary>
internal sealed class NamedParts : nn.Module
{
    private readonly Dictionary<string, NamedParts> _containers = new(StringComparer.Ordinal);

    public NamedParts(params (string Name, nn.Module Module)[] parts) : base("NamedParts")
    {
        foreach (var (name, module) in parts)
        {
            register_module(name, module);
        }
    }

    public void AddParameter(string name, Parameter parameter) => register_parameter(name, parameter);

    /// <summary>Registers <paramref name="module"/> at <paramref name="path"/> (dotted) below this container.</summary>
    public void Attach(string path, nn.Module module)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            register_module(path, module);
            return;
        }
        var head = path[..dot];
        if (!_containers.TryGetValue(head, out var child))
        {
            child = new NamedParts();
            _containers[head] = child;
            register_module(head, child);
        }
        child.Attach(path[(dot + 1)..], module);
    }
}
