using System.Buffers.Binary;
using System.Text;

namespace SquadAlbert.Analysis.Model.Checkpoint;

/// <summary>
/// A global that a pickle may name. <see cref="Call"/> is what REDUCE runs for it; null for a global that may only
/// be passed around as a value (torch's storage types travel inside persistent ids and are never called).
/// </summary>
internal sealed record PickleGlobal(string Module, string Name, Func<object?[], object?>? Call = null)
{
    public string FullName => $"{Module}.{Name}";
}

/// <summary>A pickled <c>dict</c> or <c>OrderedDict</c>, entries in pickle order.</summary>
internal sealed class PickleDict
{
    public List<KeyValuePair<object?, object?>> Items { get; } = [];

    /// <summary>The value of string key <paramref name="key"/> (the last one if repeated), or null.</summary>
    public object? Get(string key) => Items.LastOrDefault(item => Equals(item.Key, key)).Value;
}

/// <summary>
/// Reads Python pickles (protocols 2–5) without executing anything. Python's unpickler imports any module the
/// pickle names and calls whatever REDUCE is handed, so a checkpoint can run code (<c>posix.system</c>). This one
/// implements only the opcodes that a PyTorch state dict uses and resolves globals from an allowlist: a global
/// outside it, or any other opcode, stops reading with an <see cref="InputException"/> before anything happens.
/// Values become plain .NET objects: <see cref="string"/>, <see cref="long"/>, <see cref="double"/>,
/// <see cref="bool"/>, null, <c>object?[]</c> (tuple), <see cref="List{T}"/> (list), <see cref="PickleDict"/>,
/// <see cref="PickleGlobal"/>, and whatever the allowed calls and the persistent loader return.
/// </summary>
internal sealed class RestrictedUnpickler
{
    private const byte HighestProtocol = 5;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string _source;
    private readonly Dictionary<string, PickleGlobal> _globals;
    private readonly Func<object?, object?> _persistentLoad;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private Stream _stream = Stream.Null;

    /// <param name="source">What errors name: the file, and the entry inside it.</param>
    /// <param name="globals">The only globals the pickle may name.</param>
    /// <param name="persistentLoad">Turns a BINPERSID id (for torch, a tuple describing a storage) into a value.</param>
    public RestrictedUnpickler(string source, IEnumerable<PickleGlobal> globals, Func<object?, object?> persistentLoad)
    {
        _source = source;
        _globals = globals.ToDictionary(g => g.FullName, StringComparer.Ordinal);
        _persistentLoad = persistentLoad;
    }

    /// <summary>
    /// Reads one pickle from the current position of <paramref name="stream"/> through its STOP opcode and leaves
    /// the stream just after it (the legacy torch format is several pickles in a row). Errors give byte offsets
    /// in the stream. The stream must be seekable: its length bounds every read before anything is allocated.
    /// </summary>
    public object? Load(Stream stream)
    {
        _stream = stream;
        _stack.Clear();
        _marks.Clear();
        _memo.Clear();
        while (true)
        {
            var at = Offset;
            var opcode = ReadByte();
            switch (opcode)
            {
                case 0x80: // PROTO
                    var protocol = ReadByte();
                    if (protocol > HighestProtocol)
                    {
                        throw Error($"pickle protocol {protocol} at byte {at} is newer than {HighestProtocol}");
                    }
                    break;
                case 0x95: // FRAME: a length hint for buffered readers.
                    ReadBytes(8);
                    break;
                case (byte)'.': // STOP
                    if (_stack.Count != 1 || _marks.Count != 0)
                    {
                        throw Error($"STOP at byte {at} leaves {_stack.Count} values and {_marks.Count} marks, expected 1 value");
                    }
                    return _stack[0];
                case (byte)'(': // MARK
                    _marks.Push(_stack.Count);
                    break;
                case (byte)'}': // EMPTY_DICT
                    _stack.Add(new PickleDict());
                    break;
                case (byte)']': // EMPTY_LIST
                    _stack.Add(new List<object?>());
                    break;
                case (byte)')': // EMPTY_TUPLE
                    _stack.Add(Array.Empty<object?>());
                    break;
                case (byte)'t': // TUPLE
                    _stack.Add(PopToMark(at).ToArray());
                    break;
                case 0x85: // TUPLE1
                case 0x86: // TUPLE2
                case 0x87: // TUPLE3
                    _stack.Add(PopValues(opcode - 0x84, at));
                    break;
                case (byte)'a': // APPEND
                    var item = Pop(at);
                    ListOnTop(at).Add(item);
                    break;
                case (byte)'e': // APPENDS
                    var items = PopToMark(at);
                    ListOnTop(at).AddRange(items);
                    break;
                case (byte)'s': // SETITEM
                    var pair = PopValues(2, at);
                    DictOnTop(at).Items.Add(new(pair[0], pair[1]));
                    break;
                case (byte)'u': // SETITEMS
                    var entries = PopToMark(at);
                    if (entries.Count % 2 != 0)
                    {
                        throw Error($"SETITEMS at byte {at} has an odd number of values ({entries.Count})");
                    }
                    var dict = DictOnTop(at);
                    for (var i = 0; i < entries.Count; i += 2)
                    {
                        dict.Items.Add(new(entries[i], entries[i + 1]));
                    }
                    break;
                case (byte)'X': // BINUNICODE
                    _stack.Add(ReadUtf8(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)), at));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    _stack.Add(ReadUtf8(ReadByte(), at));
                    break;
                case 0x8d: // BINUNICODE8
                    _stack.Add(ReadUtf8(BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8)), at));
                    break;
                case (byte)'J': // BININT
                    _stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4)));
                    break;
                case (byte)'K': // BININT1
                    _stack.Add((long)ReadByte());
                    break;
                case (byte)'M': // BININT2
                    _stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2)));
                    break;
                case 0x8a: // LONG1: a little-endian two's complement integer of n bytes.
                    _stack.Add(ReadLong1(at));
                    break;
                case (byte)'N': // NONE
                    _stack.Add(null);
                    break;
                case 0x88: // NEWTRUE
                    _stack.Add(true);
                    break;
                case 0x89: // NEWFALSE
                    _stack.Add(false);
                    break;
                case (byte)'G': // BINFLOAT: big-endian, unlike everything else.
                    _stack.Add(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8)));
                    break;
                case (byte)'q': // BINPUT
                    _memo[ReadByte()] = Top(at);
                    break;
                case (byte)'r': // LONG_BINPUT
                    _memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))] = Top(at);
                    break;
                case 0x94: // MEMOIZE
                    _memo[_memo.Count] = Top(at);
                    break;
                case (byte)'h': // BINGET
                    _stack.Add(MemoGet(ReadByte(), at));
                    break;
                case (byte)'j': // LONG_BINGET
                    _stack.Add(MemoGet(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)), at));
                    break;
                case (byte)'c': // GLOBAL: "module\nname\n".
                    var module = ReadLine(at);
                    _stack.Add(FindGlobal(module, ReadLine(at), at));
                    break;
                case 0x93: // STACK_GLOBAL
                    var names = PopValues(2, at);
                    if (names[0] is not string stackModule || names[1] is not string stackName)
                    {
                        throw Error($"STACK_GLOBAL at byte {at} needs two strings");
                    }
                    _stack.Add(FindGlobal(stackModule, stackName, at));
                    break;
                case (byte)'R': // REDUCE
                    var call = PopValues(2, at);
                    _stack.Add(Reduce(call[0], call[1], at));
                    break;
                case (byte)'b': // BUILD
                    Build(PopValues(2, at), at);
                    break;
                case (byte)'Q': // BINPERSID
                    _stack.Add(_persistentLoad(Pop(at)));
                    break;
                default:
                    throw Error($"unsupported pickle opcode 0x{opcode:x2}{Printable(opcode)} at byte {at}; a state dict needs only "
                        + "containers, numbers, strings, allowed globals and storages, and nothing else is read");
            }
        }
    }

    private long Offset => _stream.Position;

    private InputException Error(string message) => new($"{_source}: {message}.");

    private static string Printable(byte opcode) => opcode is >= 0x20 and < 0x7f ? $" ('{(char)opcode}')" : "";

    private PickleGlobal FindGlobal(string module, string name, long at) =>
        _globals.TryGetValue($"{module}.{name}", out var global) ? global : throw Error(
            $"refused global '{module}.{name}' at byte {at}: a state dict may only name {string.Join(", ", _globals.Keys.Order(StringComparer.Ordinal))}; "
            + "nothing was imported or run");

    private object? Reduce(object? callable, object? args, long at)
    {
        if (callable is not PickleGlobal global)
        {
            throw Error($"REDUCE at byte {at} calls a {Describe(callable)}, not a global");
        }
        if (global.Call is null)
        {
            throw Error($"REDUCE at byte {at} calls '{global.FullName}', which may not be called");
        }
        if (args is not object?[] arguments)
        {
            throw Error($"REDUCE at byte {at} passes '{global.FullName}' a {Describe(args)}, not a tuple of arguments");
        }
        return global.Call(arguments);
    }

    /// <summary>
    /// BUILD sets an object's state. The one object of a state dict that gets any is the OrderedDict of
    /// <c>Module.state_dict()</c>, whose <c>_metadata</c> (module versions) a reader does not need, so it is dropped.
    /// </summary>
    private void Build(object?[] targetAndState, long at)
    {
        if (targetAndState[0] is not PickleDict target)
        {
            throw Error($"BUILD at byte {at} sets the state of a {Describe(targetAndState[0])}; only a dict's is accepted");
        }
        _stack.Add(target);
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        object?[] => "tuple",
        List<object?> => "list",
        PickleDict => "dict",
        PickleGlobal global => $"global '{global.FullName}'",
        _ => value.GetType().Name,
    };

    private object? Top(long at) => _stack.Count > 0 ? _stack[^1] : throw Error($"opcode at byte {at} needs a value, the stack is empty");

    private object? Pop(long at)
    {
        var value = Top(at);
        _stack.RemoveAt(_stack.Count - 1);
        if (_marks.Count > 0 && _marks.Peek() > _stack.Count)
        {
            throw Error($"opcode at byte {at} reaches below a MARK");
        }
        return value;
    }

    private object?[] PopValues(int count, long at)
    {
        var values = new object?[count];
        for (var i = count - 1; i >= 0; i--)
        {
            values[i] = Pop(at);
        }
        return values;
    }

    private List<object?> PopToMark(long at)
    {
        if (_marks.Count == 0)
        {
            throw Error($"opcode at byte {at} needs a MARK, there is none");
        }
        var mark = _marks.Pop();
        var values = _stack.GetRange(mark, _stack.Count - mark);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return values;
    }

    private List<object?> ListOnTop(long at) =>
        Top(at) as List<object?> ?? throw Error($"APPEND at byte {at} onto a {Describe(Top(at))}, not a list");

    private PickleDict DictOnTop(long at) =>
        Top(at) as PickleDict ?? throw Error($"SETITEM at byte {at} into a {Describe(Top(at))}, not a dict");

    private object? MemoGet(long index, long at) =>
        _memo.TryGetValue(index, out var value) ? value : throw Error($"memo entry {index} read at byte {at} was never stored");

    private byte ReadByte()
    {
        var value = _stream.ReadByte();
        return value >= 0 ? (byte)value : throw Error($"truncated pickle: it ends at byte {Offset} without STOP");
    }

    private byte[] ReadBytes(long count)
    {
        if (count > _stream.Length - _stream.Position)
        {
            throw Error($"truncated pickle: {count} bytes needed at byte {Offset}, {_stream.Length - _stream.Position} left");
        }
        var bytes = new byte[count];
        _stream.ReadExactly(bytes);
        return bytes;
    }

    private string ReadUtf8(ulong length, long at)
    {
        if (length > int.MaxValue)
        {
            throw Error($"string of {length} bytes at byte {at}");
        }
        try
        {
            return StrictUtf8.GetString(ReadBytes((long)length));
        }
        catch (DecoderFallbackException ex)
        {
            throw new InputException($"{_source}: string at byte {at} is not valid UTF-8.", ex);
        }
    }

    /// <summary>A GLOBAL operand line: ASCII up to a newline (Python writes dotted module and attribute names).</summary>
    private string ReadLine(long at)
    {
        var text = new StringBuilder();
        for (var b = ReadByte(); b != (byte)'\n'; b = ReadByte())
        {
            if (b is < 0x20 or >= 0x7f || text.Length >= 256)
            {
                throw Error($"GLOBAL at byte {at} does not name a module and attribute");
            }
            text.Append((char)b);
        }
        return text.ToString();
    }

    private long ReadLong1(long at)
    {
        var length = ReadByte();
        if (length > 8)
        {
            throw Error($"integer of {length} bytes at byte {at} does not fit in 64 bits");
        }
        var bytes = ReadBytes(length);
        long value = 0;
        for (var i = length - 1; i >= 0; i--)
        {
            value = (value << 8) | bytes[i];
        }
        // Sign-extend from the top bit of the last byte.
        return length is > 0 and < 8 && (bytes[^1] & 0x80) != 0 ? value - (1L << (8 * length)) : value;
    }
}
