using System.Globalization;
using System.Text;
using System.Text.Json;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Review;

/// <summary>What an export changed.</summary>
public sealed record CorrectedSquadSummary(int Questions, int Fixed, int Removed);

/// <summary>A corrected SQuAD document (UTF-8 JSON, no byte-order mark) and what changed.</summary>
public sealed class CorrectedSquad(byte[] utf8Json, CorrectedSquadSummary summary)
{
    public CorrectedSquadSummary Summary { get; } = summary;

    public ReadOnlyMemory<byte> Utf8Json => utf8Json;

    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(utf8Json);
    }

    public byte[] ToUtf8Bytes() => (byte[])utf8Json.Clone();
}

/// <summary>
/// Writes a run's ORIGINAL SQuAD file(s) back with its review decisions applied: a fixed question's first gold answer
/// gets the fixed span's <c>text</c> and <c>answer_start</c> (converted back to code points, as SQuAD counts; a SQuAD 2.0
/// question without answers gets one, and its <c>is_impossible: true</c> becomes <c>false</c>), and, when
/// asked, questions flagged wrong or ambiguous are left out. Several data files become one document: the first file's
/// top level (its <c>version</c> and any other keys) with every file's articles in its <c>data</c>, in file order; the
/// other files' top-level keys are not kept.
/// </summary>
/// <remarks>
/// The output is the source bytes with only those edits spliced in, not a re-serialised tree: every field the file has
/// (unknown keys at any level, extra fields inside answers), key order, a key repeated in one object, the number
/// formats and the file's own escaping (official SQuAD files write <c>\u2013</c>) all stay as they were, so an export
/// without decisions is byte for byte the file (less a byte-order mark) and a diff shows only the decisions. Text the
/// export writes itself is plain UTF-8, escaping only what JSON requires (see <see cref="WriteJsonString"/>). Which
/// question a decision means is what <see cref="SquadLoader"/> says: the file is loaded first, so it gets the loader's
/// checks and messages, and a question the loader rejected is one no run has, so its decision is "missing".
/// </remarks>
public static class CorrectedSquadExporter
{
    /// <exception cref="InputException">A data file is missing or not SQuAD, a decided question is in none of them, or a
    /// fixed span does not match the file's context (the file changed since the run).</exception>
    public static CorrectedSquad Export(IReadOnlyList<string> dataFiles, IReadOnlyList<ReviewDecision> decisions, bool removeFlagged)
    {
        ArgumentNullException.ThrowIfNull(dataFiles);
        ArgumentNullException.ThrowIfNull(decisions);
        if (dataFiles.Count == 0)
        {
            throw new InputException("The run records no data files to export.");
        }
        var byId = new Dictionary<string, ReviewDecision>(StringComparer.Ordinal);
        foreach (var decision in decisions)
        {
            byId[decision.ExampleId] = decision;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<EditedFile>(dataFiles.Count);
        foreach (var file in dataFiles)
        {
            files.Add(EditedFile.Plan(file, byId, removeFlagged, seen));
        }
        var missing = byId.Values.Where(d => (d.Verdict == ReviewVerdict.Fixed || d.IsFlagged) && !seen.Contains(d.ExampleId)).ToList();
        if (missing.Count > 0)
        {
            throw new InputException(
                $"Question id '{missing[0].ExampleId}' (sample {missing[0].SampleIndex}) is in none of the run's data files ({string.Join(", ", dataFiles)}); " +
                $"{missing.Count} decided question(s) missing in all.");
        }
        return new CorrectedSquad(Join(files), new CorrectedSquadSummary(
            files.Sum(f => f.Questions - f.Removed), files.Sum(f => f.Fixed), files.Sum(f => f.Removed)));
    }

    /// <summary>The data files of a run as recorded in <c>runs.data_files</c> (a JSON array of paths).</summary>
    public static IReadOnlyList<string> ParseDataFiles(string dataFilesJson, long runId)
    {
        try
        {
            return JsonSerializer.Deserialize<List<string>>(dataFilesJson ?? "null") ?? throw new InputException($"run {runId}: data_files is null.");
        }
        catch (JsonException ex)
        {
            throw new InputException($"run {runId}: data_files is not a JSON array of paths: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Writes <paramref name="text"/> as a JSON string: <c>"</c>, <c>\</c> and control characters escaped (the short
    /// forms where JSON has them), a lone surrogate as its <c>\uXXXX</c> escape (it has no UTF-8 form), everything else
    /// as UTF-8, so that a fixed answer reads in a diff as it reads in the dashboard.
    /// </summary>
    internal static void WriteJsonString(Stream output, string text)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 2).Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
                continue;
            }
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                '\b' => builder.Append("\\b"),
                '\f' => builder.Append("\\f"),
                _ when c < ' ' || char.IsSurrogate(c) => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => builder.Append(c),
            };
        }
        // Every surrogate left in the builder is paired, so the strict encoder cannot fail.
        output.Write(new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(builder.Append('"').ToString()));
    }

    private static byte[] Join(List<EditedFile> files)
    {
        using var output = new MemoryStream(files.Sum(f => f.Bytes.Length));
        var first = files[0];
        // The first file up to the end of its last article, the other files' articles, then the rest of the first file.
        var insertAt = first.LastArticleEnd ?? first.DataOpen + 1;
        first.Write(output, first.Start, insertAt);
        var any = first.LastArticleEnd is not null;
        foreach (var file in files.Skip(1).Where(f => f.FirstArticleStart is not null))
        {
            if (any)
            {
                output.Write(", "u8);
            }
            file.Write(output, file.FirstArticleStart!.Value, file.LastArticleEnd!.Value);
            any = true;
        }
        first.Write(output, insertAt, first.Bytes.Length);
        return output.ToArray();
    }

    /// <summary>Replace bytes [<see cref="Start"/>, <see cref="End"/>) of the file with <see cref="Replacement"/>.</summary>
    private sealed record Edit(int Start, int End, byte[] Replacement);

    /// <summary>One data file, where its articles lie and the edits the decisions make to it.</summary>
    private sealed class EditedFile
    {
        private readonly List<Edit> _edits = [];

        private EditedFile(string path, byte[] bytes)
        {
            Path = path;
            Bytes = bytes;
            Start = bytes.AsSpan().StartsWith(JsonInputFile.Utf8Bom) ? JsonInputFile.Utf8Bom.Length : 0;
        }

        public string Path { get; }

        public byte[] Bytes { get; }

        /// <summary>After the byte-order mark, which an export does not repeat (JSON sent over a network must not have one).</summary>
        public int Start { get; }

        public int DataOpen { get; private set; }

        public int? FirstArticleStart { get; private set; }

        public int? LastArticleEnd { get; private set; }

        public int Questions { get; private set; }

        public int Fixed { get; private set; }

        public int Removed { get; private set; }

        /// <summary>Loads the file (all of the loader's checks) and finds the bytes each decision on it changes.</summary>
        public static EditedFile Plan(string path, Dictionary<string, ReviewDecision> byId, bool removeFlagged, HashSet<string> seen)
        {
            var file = new EditedFile(path, JsonInputFile.ReadAllBytes(path, "SQuAD"));
            var dataset = SquadLoader.Parse(file.Bytes, path);
            var targets = new Dictionary<SquadLocation, (SquadExample Example, ReviewDecision Decision)>();
            foreach (var example in dataset.Examples)
            {
                if (!byId.TryGetValue(example.Id, out var decision))
                {
                    continue;
                }
                seen.Add(example.Id);
                if (decision.Verdict == ReviewVerdict.Fixed || (removeFlagged && decision.IsFlagged))
                {
                    targets[example.Location] = (example, decision);
                }
            }
            new Walker(file, targets).Run();
            file._edits.Sort((a, b) => a.Start.CompareTo(b.Start));
            return file;
        }

        /// <summary>Writes bytes [<paramref name="from"/>, <paramref name="to"/>) with the edits inside that range applied.</summary>
        public void Write(Stream output, int from, int to)
        {
            var at = from;
            foreach (var edit in _edits.Where(e => e.Start >= from && e.End <= to))
            {
                output.Write(Bytes, at, edit.Start - at);
                output.Write(edit.Replacement);
                at = edit.End;
            }
            output.Write(Bytes, at, to - at);
        }

        /// <summary>
        /// Walks the file as the loader does (first occurrence of each SQuAD key, every array element counted) to the
        /// questions that have a decision. The loader has accepted the file, so its structure down to each kept question
        /// is known to be right.
        /// </summary>
        private ref struct Walker(EditedFile file, Dictionary<SquadLocation, (SquadExample Example, ReviewDecision Decision)> targets)
        {
            private Utf8JsonReader _reader = new(file.Bytes.AsSpan(file.Start), new JsonReaderOptions { MaxDepth = 64 });

            public void Run()
            {
                Read();
                while (Read() && _reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (_reader.ValueTextEquals("data"u8))
                    {
                        Read();
                        file.DataOpen = Offset();
                        var articles = Elements((ref Walker w, int index) => w.Article(index));
                        file.FirstArticleStart = articles.Count > 0 ? articles[0].Start : null;
                        file.LastArticleEnd = articles.Count > 0 ? articles[^1].End : null;
                    }
                    else
                    {
                        Read();
                        _reader.Skip();
                    }
                }
            }

            private void Article(int articleIndex)
            {
                if (_reader.TokenType != JsonTokenType.StartObject)
                {
                    _reader.Skip();
                    return;
                }
                var sawParagraphs = false;
                while (Read() && _reader.TokenType == JsonTokenType.PropertyName)
                {
                    var first = !sawParagraphs && _reader.ValueTextEquals("paragraphs"u8);
                    Read();
                    if (first && _reader.TokenType == JsonTokenType.StartArray)
                    {
                        sawParagraphs = true;
                        Elements((ref Walker w, int index) => w.Paragraph(articleIndex, index));
                    }
                    else
                    {
                        sawParagraphs |= first;
                        _reader.Skip();
                    }
                }
            }

            private void Paragraph(int articleIndex, int paragraphIndex)
            {
                if (_reader.TokenType != JsonTokenType.StartObject)
                {
                    _reader.Skip();
                    return;
                }
                var sawQas = false;
                while (Read() && _reader.TokenType == JsonTokenType.PropertyName)
                {
                    var first = !sawQas && _reader.ValueTextEquals("qas"u8);
                    Read();
                    if (first && _reader.TokenType == JsonTokenType.StartArray)
                    {
                        sawQas = true;
                        var questions = Elements((ref Walker w, int index) => w.Question(new SquadLocation(articleIndex, paragraphIndex, index)));
                        file.Questions += questions.Count;
                        RemoveFlagged(questions, articleIndex, paragraphIndex);
                    }
                    else
                    {
                        sawQas |= first;
                        _reader.Skip();
                    }
                }
            }

            private void Question(SquadLocation location)
            {
                if (!targets.TryGetValue(location, out var target) || target.Decision.Verdict != ReviewVerdict.Fixed)
                {
                    _reader.Skip();
                    return;
                }
                var (example, decision) = target;
                var fix = decision.Fix!;
                if (fix.Start < 0 || fix.End > example.Context.Length || string.CompareOrdinal(example.Context, fix.Start, fix.Text, 0, fix.Text.Length) != 0)
                {
                    throw new InputException($"{file.Path}: question '{example.Id}': the fixed answer '{fix.Text}' is not at {fix.Start} of its context; the file changed since the run.");
                }
                var text = Encode(s => WriteJsonString(s, fix.Text));
                var start = Encoding.ASCII.GetBytes(SquadOffsets.Utf16ToCodePoint(example.Context, fix.Start).ToString(CultureInfo.InvariantCulture));
                // A kept question has exactly one 'answers' array whose answers each have one 'text' and one 'answer_start'.
                while (Read() && _reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isAnswers = _reader.ValueTextEquals("answers"u8);
                    var isImpossible = _reader.ValueTextEquals("is_impossible"u8);
                    Read();
                    if (isImpossible && _reader.TokenType == JsonTokenType.True)
                    {
                        // A SQuAD 2.0 question marked unanswerable that the reviewer gave an answer is answerable now.
                        file._edits.Add(new Edit(Offset(), End(), "false"u8.ToArray()));
                        continue;
                    }
                    if (!isAnswers)
                    {
                        _reader.Skip();
                        continue;
                    }
                    var open = Offset();
                    var answers = Elements((ref Walker w, int index) =>
                    {
                        if (index == 0)
                        {
                            w.FirstAnswer(text, start);
                        }
                        else
                        {
                            w._reader.Skip();
                        }
                    });
                    if (answers.Count == 0)
                    {
                        file._edits.Add(new Edit(open + 1, Offset(), Encode(s =>
                        {
                            s.Write("{\"text\": "u8);
                            s.Write(text);
                            s.Write(", \"answer_start\": "u8);
                            s.Write(start);
                            s.Write("}"u8);
                        })));
                    }
                }
                file.Fixed++;
            }

            private void FirstAnswer(byte[] text, byte[] start)
            {
                while (Read() && _reader.TokenType == JsonTokenType.PropertyName)
                {
                    var replacement = _reader.ValueTextEquals("text"u8) ? text : _reader.ValueTextEquals("answer_start"u8) ? start : null;
                    Read();
                    var from = Offset();
                    _reader.Skip();
                    if (replacement is not null)
                    {
                        file._edits.Add(new Edit(from, End(), replacement));
                    }
                }
            }

            /// <summary>
            /// Cuts the removed questions out of their array with one separator each: a run of removed questions takes the
            /// separator after it when a kept question follows, else the one before it, else (all removed) none is left.
            /// </summary>
            private readonly void RemoveFlagged(List<(int Start, int End)> questions, int articleIndex, int paragraphIndex)
            {
                // Local functions in a struct cannot use its fields.
                var decided = targets;
                bool IsRemoved(int q) =>
                    decided.TryGetValue(new SquadLocation(articleIndex, paragraphIndex, q), out var t) && t.Decision.Verdict != ReviewVerdict.Fixed;

                for (var q = 0; q < questions.Count; q++)
                {
                    if (!IsRemoved(q))
                    {
                        continue;
                    }
                    var last = q;
                    while (last + 1 < questions.Count && IsRemoved(last + 1))
                    {
                        last++;
                    }
                    var (from, to) = last + 1 < questions.Count ? (questions[q].Start, questions[last + 1].Start)
                        : q > 0 ? (questions[q - 1].End, questions[last].End)
                        : (questions[q].Start, questions[last].End);
                    file._edits.Add(new Edit(from, to, []));
                    file.Removed += last - q + 1;
                    q = last;
                }
            }

            private delegate void ElementReader(ref Walker walker, int index);

            /// <summary>Reads the array the reader is on, calling <paramref name="element"/> on each element's first token
            /// (it must leave the reader on the element's last token); returns each element's byte range.</summary>
            private List<(int Start, int End)> Elements(ElementReader element)
            {
                var ranges = new List<(int Start, int End)>();
                while (Read() && _reader.TokenType != JsonTokenType.EndArray)
                {
                    var from = Offset();
                    element(ref this, ranges.Count);
                    ranges.Add((from, End()));
                }
                return ranges;
            }

            private bool Read() => _reader.Read();

            /// <summary>File offset of the current token's first byte.</summary>
            private readonly int Offset() => file.Start + (int)_reader.TokenStartIndex;

            /// <summary>File offset just after the current token (after a skipped value's last byte).</summary>
            private readonly int End() => file.Start + (int)_reader.BytesConsumed;

            private static byte[] Encode(Action<Stream> write)
            {
                using var buffer = new MemoryStream();
                write(buffer);
                return buffer.ToArray();
            }
        }
    }
}
