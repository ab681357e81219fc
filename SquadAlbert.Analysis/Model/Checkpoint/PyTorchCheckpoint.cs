using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SquadAlbert.Analysis.Model.Checkpoint;

/// <summary>
/// Reads the state dict that <c>torch.save</c> wrote (Hugging Face's <c>pytorch_model.bin</c>) without Python and
/// without running anything the file asks for: the pickle goes through <see cref="RestrictedUnpickler"/>, which
/// knows only OrderedDict, torch's tensor and parameter rebuilders and its storage types.
/// <para>
/// Two layouts: the zip of PyTorch ≥ 1.6 (<c>&lt;archive&gt;/data.pkl</c>, one little-endian entry
/// <c>&lt;archive&gt;/data/&lt;key&gt;</c> per storage, maybe <c>&lt;archive&gt;/byteorder</c>), and the legacy
/// stream of earlier versions (still on the Hub for old models): magic number, protocol version and system info
/// pickles, the state dict pickle, the list of storage keys, then each storage as an int64 element count and its
/// bytes. Either way a tensor is a view (offset, sizes, strides) of a storage that other tensors may share.
/// </para>
/// </summary>
public static class PyTorchCheckpoint
{
    /// <summary>The default-protocol pickle of torch's legacy magic number 0x1950a86a20f9469cfc6c.</summary>
    private static readonly byte[] LegacyMagic = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e];

    private const long LegacyProtocolVersion = 1001;

    /// <summary>Storage types a state dict may hold; all are converted to float32.</summary>
    private static readonly Dictionary<string, ElementType> StorageTypes = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = ElementType.F32,
        ["HalfStorage"] = ElementType.F16,
        ["BFloat16Storage"] = ElementType.BF16,
        ["DoubleStorage"] = ElementType.F64,
        ["LongStorage"] = ElementType.I64,
        ["IntStorage"] = ElementType.I32,
        ["ShortStorage"] = ElementType.I16,
        ["CharStorage"] = ElementType.I8,
        ["ByteStorage"] = ElementType.U8,
        ["BoolStorage"] = ElementType.Bool,
    };

    private sealed record TorchStorage(string Key, string TypeName, ElementType Type, long ElementCount);

    private sealed record TensorView(TorchStorage Storage, long Offset, int[] Shape, long[] Strides);

    /// <summary>
    /// Every tensor of the state dict in <paramref name="path"/>, as float32, in the file's order. Every problem
    /// (not a checkpoint, truncated, a refused global, a missing or short storage) is an <see cref="InputException"/>
    /// naming the file.
    /// </summary>
    public static IReadOnlyDictionary<string, FloatTensor> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException($"{path}: PyTorch checkpoint not found.");
        }
        using var stream = File.OpenRead(path);
        var head = new byte[LegacyMagic.Length];
        var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        if (length >= 2 && head[0] == (byte)'P' && head[1] == (byte)'K')
        {
            return ReadZip(path, stream);
        }
        if (head.AsSpan(0, length).SequenceEqual(LegacyMagic))
        {
            stream.Position = LegacyMagic.Length;
            return ReadLegacy(path, stream);
        }
        throw new InputException(
            $"{path}: not a PyTorch checkpoint: neither a zip written by torch.save (PyTorch ≥ 1.6) nor torch's legacy format.");
    }

    private static Dictionary<string, FloatTensor> ReadZip(string path, FileStream stream)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new InputException($"{path}: truncated or damaged zip archive ({ex.Message}).", ex);
        }
        using (zip)
        {
            // torch.save puts every record in one top-level folder, named after the file it first wrote.
            var pickles = zip.Entries.Where(e => e.FullName.Split('/') is [_, "data.pkl"] or ["data.pkl"]).ToList();
            if (pickles.Count != 1)
            {
                throw new InputException(pickles.Count == 0
                    ? $"{path}: a zip without data.pkl: not written by torch.save."
                    : $"{path}: a zip with {pickles.Count} data.pkl entries ({string.Join(", ", pickles.Select(p => p.FullName))}); torch.save writes one.");
            }
            var pickle = pickles[0];
            var prefix = pickle.FullName[..^"data.pkl".Length];
            CheckByteOrder(path, zip.GetEntry(prefix + "byteorder"));

            var storages = new Dictionary<string, TorchStorage>(StringComparer.Ordinal);
            var source = $"{path}: {pickle.FullName}";
            var unpickler = new RestrictedUnpickler(source, Globals(source), id => LoadStorage(source, id, storages));
            var views = StateDict(source, unpickler.Load(new MemoryStream(ReadEntry(path, pickle, pickle.Length))));

            var tensors = new FloatTensor[views.Count];
            foreach (var group in GroupByStorage(views))
            {
                var storage = group.Key;
                var name = prefix + "data/" + storage.Key;
                var entry = zip.GetEntry(name) ?? throw new InputException(
                    $"{path}: missing storage entry '{name}' (used by {TensorNames(group)}).");
                var needed = ByteCount(path, storage);
                if (entry.Length < needed)
                {
                    throw new InputException(
                        $"{path}: storage entry '{name}' holds {entry.Length} bytes, but its {storage.ElementCount} {storage.TypeName} values need {needed} (used by {TensorNames(group)}).");
                }
                Materialise(path, name, storage, ReadEntry(path, entry, needed), group, tensors);
            }
            return Named(views, tensors);
        }
    }

    private static Dictionary<string, FloatTensor> ReadLegacy(string path, FileStream stream)
    {
        var storages = new Dictionary<string, TorchStorage>(StringComparer.Ordinal);
        var unpickler = new RestrictedUnpickler(path, Globals(path), id => LoadStorage(path, id, storages));
        var version = unpickler.Load(stream);
        if (version is not LegacyProtocolVersion)
        {
            throw new InputException($"{path}: legacy torch format with protocol version {version ?? "None"}; only {LegacyProtocolVersion} is known.");
        }
        if (unpickler.Load(stream) is not PickleDict systemInfo || systemInfo.Get("little_endian") is not bool littleEndian)
        {
            throw new InputException($"{path}: legacy torch format without the system info that says its byte order.");
        }
        if (!littleEndian)
        {
            throw new InputException($"{path}: written on a big-endian machine; only little-endian checkpoints are supported (convert it to safetensors there).");
        }
        var views = StateDict(path, unpickler.Load(stream));
        if (unpickler.Load(stream) is not List<object?> keys || keys.Any(k => k is not string))
        {
            throw new InputException($"{path}: legacy torch format without the list of storage keys after the state dict.");
        }

        var tensors = new FloatTensor[views.Count];
        var groups = GroupByStorage(views).ToDictionary(g => g.Key.Key, StringComparer.Ordinal);
        foreach (var key in keys.Cast<string>())
        {
            if (!storages.TryGetValue(key, out var storage))
            {
                throw new InputException($"{path}: storage '{key}' is listed but no tensor uses it, so its element type is unknown.");
            }
            var where = $"storage '{key}' at byte {stream.Position}";
            var count = BinaryPrimitives.ReadInt64LittleEndian(ReadLegacyBytes(path, stream, sizeof(long), where));
            if (count != storage.ElementCount)
            {
                throw new InputException($"{path}: {where} holds {count} values, but the state dict says {storage.ElementCount}.");
            }
            var bytes = ReadLegacyBytes(path, stream, ByteCount(path, storage), where);
            if (groups.Remove(key, out var group))
            {
                Materialise(path, $"storage '{key}'", storage, bytes, group, tensors);
            }
        }
        if (groups.Count > 0)
        {
            var (key, group) = groups.First();
            throw new InputException($"{path}: missing storage '{key}' (used by {TensorNames(group)}): it is not in the file's list of storages.");
        }
        return Named(views, tensors);
    }

    private static byte[] ReadLegacyBytes(string path, FileStream stream, long count, string where)
    {
        if (count > stream.Length - stream.Position)
        {
            throw new InputException($"{path}: truncated: {where} needs {count} bytes, {stream.Length - stream.Position} are left.");
        }
        var bytes = new byte[count];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static void CheckByteOrder(string path, ZipArchiveEntry? entry)
    {
        // Zips written before torch 2.1 have no byteorder record; they were written little-endian in practice.
        if (entry is null)
        {
            return;
        }
        var order = Encoding.ASCII.GetString(ReadEntry(path, entry, Math.Min(entry.Length, 16))).Trim();
        if (order != "little")
        {
            throw new InputException(
                $"{path}: byteorder is \"{order}\"; only little-endian checkpoints are supported (convert it to safetensors where it was written).");
        }
    }

    private static byte[] ReadEntry(string path, ZipArchiveEntry entry, long count)
    {
        if (count > Array.MaxLength)
        {
            throw new InputException($"{path}: entry '{entry.FullName}' has {count} bytes, more than one array holds.");
        }
        var bytes = new byte[count];
        try
        {
            using var data = entry.Open();
            data.ReadExactly(bytes);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            throw new InputException($"{path}: entry '{entry.FullName}' is truncated or damaged ({ex.Message}).", ex);
        }
        return bytes;
    }

    /// <summary>The only globals a state dict needs; their calls build descriptions, never objects of the file's choice.</summary>
    private static IEnumerable<PickleGlobal> Globals(string source) =>
    [
        new("collections", "OrderedDict", args => args.Length == 0
            ? new PickleDict()
            : throw new InputException($"{source}: OrderedDict called with {args.Length} arguments; a state dict passes none.")),
        new("torch._utils", "_rebuild_tensor_v2", args => RebuildTensor(source, args)),
        new("torch._utils", "_rebuild_parameter", args => Parameter(source, args)),
        new("torch._utils", "_rebuild_parameter_with_state", args => Parameter(source, args)),
        .. StorageTypes.Keys.Select(name => new PickleGlobal("torch", name)),
    ];

    /// <summary>
    /// A persistent id <c>('storage', storage_type, key, location, numel)</c>, with a sixth item (a storage view,
    /// None since torch 0.4) in the legacy format. The location (<c>cpu</c>, <c>cuda:0</c>) does not matter here.
    /// </summary>
    private static TorchStorage LoadStorage(string source, object? id, Dictionary<string, TorchStorage> storages)
    {
        if (id is not object?[] { Length: 5 or 6 } fields || fields[0] is not "storage"
            || fields[1] is not PickleGlobal { Module: "torch" } type || !StorageTypes.TryGetValue(type.Name, out var elementType)
            || fields[2] is not string key || fields[4] is not long count || count < 0)
        {
            throw new InputException($"{source}: persistent id is not ('storage', storage type, key, location, element count).");
        }
        if (fields.Length == 6 && fields[5] is not null)
        {
            throw new InputException($"{source}: storage '{key}' is a storage view (torch < 0.4), which is not supported.");
        }
        var storage = new TorchStorage(key, type.FullName, elementType, count);
        if (storages.TryGetValue(key, out var known) && known != storage)
        {
            throw new InputException($"{source}: storage '{key}' is described twice, as {known.ElementCount} {known.TypeName} and {count} {type.FullName} values.");
        }
        storages[key] = storage;
        return storage;
    }

    /// <summary><c>_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])</c>.</summary>
    private static TensorView RebuildTensor(string source, object?[] args)
    {
        if (args is not [TorchStorage storage, long offset, object?[] size, object?[] stride, bool, _, ..] || args.Length > 7
            || size.Length != stride.Length || offset < 0)
        {
            throw new InputException($"{source}: _rebuild_tensor_v2 needs (storage, offset, sizes, strides, requires_grad, hooks), "
                + "with as many strides as sizes.");
        }
        var shape = new int[size.Length];
        var strides = new long[size.Length];
        for (var d = 0; d < size.Length; d++)
        {
            if (size[d] is not long n || n is < 0 or > int.MaxValue || stride[d] is not long s || s < 0)
            {
                throw new InputException($"{source}: tensor dimension {d} has size {size[d] ?? "None"} and stride {stride[d] ?? "None"}; "
                    + $"expected integers, sizes up to {int.MaxValue}, strides not negative.");
            }
            (shape[d], strides[d]) = ((int)n, s);
        }
        return new TensorView(storage, offset, shape, strides);
    }

    /// <summary><c>_rebuild_parameter(data, requires_grad, backward_hooks[, state])</c>: a parameter is its data.</summary>
    private static TensorView Parameter(string source, object?[] args) =>
        args is [TensorView data, ..] ? data : throw new InputException($"{source}: _rebuild_parameter needs a tensor first.");

    private static List<(string Name, TensorView View)> StateDict(string source, object? root)
    {
        if (root is not PickleDict dict)
        {
            throw new InputException($"{source}: the pickle holds a {root?.GetType().Name ?? "None"}, not a state dict (a dict of name → tensor).");
        }
        var views = new List<(string, TensorView)>(dict.Items.Count);
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name || value is not TensorView view)
            {
                throw new InputException($"{source}: entry '{key}' is not a tensor; expected a state dict (a dict of name → tensor).");
            }
            views.Add((name, view));
        }
        return views;
    }

    private static IEnumerable<IGrouping<TorchStorage, (int Index, string Name, TensorView View)>> GroupByStorage(List<(string Name, TensorView View)> views) =>
        views.Select((v, i) => (i, v.Name, v.View)).GroupBy(v => v.View.Storage);

    private static string TensorNames(IEnumerable<(int Index, string Name, TensorView View)> group) =>
        string.Join(", ", group.Select(v => $"'{v.Name}'"));

    private static long ByteCount(string path, TorchStorage storage)
    {
        var bytes = storage.ElementCount * ElementTypes.Size(storage.Type);
        return storage.ElementCount <= Array.MaxLength && bytes <= Array.MaxLength ? bytes : throw new InputException(
            $"{path}: storage '{storage.Key}' has {storage.ElementCount} {storage.TypeName} values, more than one array holds.");
    }

    /// <summary>Converts one storage to float32 and cuts out every tensor that views it.</summary>
    private static void Materialise(
        string path, string storageName, TorchStorage storage, byte[] bytes,
        IGrouping<TorchStorage, (int Index, string Name, TensorView View)> group, FloatTensor[] tensors)
    {
        var values = new float[storage.ElementCount];
        ElementTypes.ToFloat32(bytes, storage.Type, values);
        // A storage that only one tensor uses, and entirely, is handed over; shared storages are copied so that no
        // two names share an array.
        var alone = group.Count() == 1;
        foreach (var (index, name, view) in group)
        {
            tensors[index] = new FloatTensor(view.Shape, Gather(path, storageName, name, view, values, alone));
        }
    }

    private static float[] Gather(string path, string storageName, string name, TensorView view, float[] storage, bool mayReuse)
    {
        var count = FloatTensor.ElementCount(view.Shape);
        if (count == 0)
        {
            return [];
        }
        if (count > Array.MaxLength)
        {
            throw new InputException($"{path}: tensor '{name}' has {count} values, more than one array holds.");
        }
        // The highest element the view touches (sizes and strides are not negative, so the lowest is the offset),
        // summed only while it stays inside the storage so that hostile sizes cannot overflow it.
        var last = view.Offset;
        for (var d = 0; d < view.Shape.Length && last < storage.Length; d++)
        {
            last += (view.Shape[d] - 1) * Math.Min(view.Strides[d], storage.Length);
        }
        if (last >= storage.Length)
        {
            throw new InputException(
                $"{path}: tensor '{name}' (offset {view.Offset}, shape [{string.Join(", ", view.Shape)}], strides [{string.Join(", ", view.Strides)}]) "
                + $"reaches past the {storage.Length} values of {storageName}: the storage is too short for the view.");
        }
        if (IsContiguous(view))
        {
            return mayReuse && view.Offset == 0 && count == storage.Length ? storage : storage.AsSpan((int)view.Offset, (int)count).ToArray();
        }
        // Non-contiguous (a transpose, a column, an expand): walk the indices like an odometer.
        var result = new float[count];
        var index = new int[view.Shape.Length];
        var position = view.Offset;
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = storage[position];
            for (var d = index.Length - 1; d >= 0; d--)
            {
                position += view.Strides[d];
                if (++index[d] < view.Shape[d])
                {
                    break;
                }
                position -= view.Strides[d] * view.Shape[d];
                index[d] = 0;
            }
        }
        return result;
    }

    /// <summary>Row-major with no gaps; a dimension of size 1 may have any stride.</summary>
    private static bool IsContiguous(TensorView view)
    {
        long expected = 1;
        for (var d = view.Shape.Length - 1; d >= 0; d--)
        {
            if (view.Shape[d] != 1 && view.Strides[d] != expected)
            {
                return false;
            }
            expected *= view.Shape[d];
        }
        return true;
    }

    private static Dictionary<string, FloatTensor> Named(List<(string Name, TensorView View)> views, FloatTensor[] tensors)
    {
        var named = new Dictionary<string, FloatTensor>(views.Count, StringComparer.Ordinal);
        for (var i = 0; i < views.Count; i++)
        {
            named[views[i].Name] = tensors[i];
        }
        return named;
    }
}
