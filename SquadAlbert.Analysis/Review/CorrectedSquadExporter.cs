using System.Text.Json;
using System.Text.Json.Nodes;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Review;

/// <summary>What an export changed.</summary>
public sealed record CorrectedSquadSummary(int Questions, int Fixed, int Removed);

/// <summary>A corrected SQuAD document and what changed.</summary>
public sealed record CorrectedSquad(JsonObject Document, CorrectedSquadSummary Summary)
{
    public void WriteTo(Stream stream)
    {
        using var writer = new Utf8JsonWriter(stream);
        Document.WriteTo(writer);
    }

    public byte[] ToUtf8Bytes()
    {
        using var buffer = new MemoryStream();
        WriteTo(buffer);
        return buffer.ToArray();
    }
}

/// <summary>
/// Writes a run's ORIGINAL SQuAD file(s) back with its review decisions applied: a fixed question's first gold answer
/// becomes the fixed span (its <c>answer_start</c> converted back to code points, as SQuAD counts), and, when asked,
/// questions flagged wrong or ambiguous are left out. Everything else — other answers, unknown fields, order — is kept.
/// Several data files become one document whose <c>data</c> holds their articles in file order.
/// </summary>
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
        var output = new JsonObject();
        var articles = new JsonArray();
        var (questions, fixedCount, removed) = (0, 0, 0);
        foreach (var file in dataFiles)
        {
            var root = ReadRoot(file);
            if (!output.ContainsKey("version") && root["version"] is JsonValue version)
            {
                output["version"] = version.DeepClone();
            }
            foreach (var article in root["data"]!.AsArray().ToList())
            {
                foreach (var paragraph in article?["paragraphs"]?.AsArray() ?? [])
                {
                    var context = paragraph?["context"]?.GetValue<string>() ?? "";
                    if (paragraph?["qas"] is not JsonArray qas)
                    {
                        continue;
                    }
                    foreach (var qa in qas.ToList())
                    {
                        questions++;
                        if (qa?["id"]?.GetValue<string>() is not { } id || !byId.TryGetValue(id, out var decision))
                        {
                            continue;
                        }
                        seen.Add(id);
                        if (decision.Verdict == ReviewVerdict.Fixed)
                        {
                            ApplyFix(file, qa.AsObject(), context, decision.Fix!);
                            fixedCount++;
                        }
                        else if (removeFlagged && decision.IsFlagged)
                        {
                            qas.Remove(qa);
                            removed++;
                        }
                    }
                }
                root["data"]!.AsArray().Remove(article);
                articles.Add(article);
            }
        }
        var missing = byId.Values.Where(d => (d.Verdict == ReviewVerdict.Fixed || d.IsFlagged) && !seen.Contains(d.ExampleId)).ToList();
        if (missing.Count > 0)
        {
            throw new InputException(
                $"Question id '{missing[0].ExampleId}' (sample {missing[0].SampleIndex}) is in none of the run's data files ({string.Join(", ", dataFiles)}); " +
                $"{missing.Count} decided question(s) missing in all.");
        }
        output["data"] = articles;
        return new CorrectedSquad(output, new CorrectedSquadSummary(questions - removed, fixedCount, removed));
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

    private static void ApplyFix(string file, JsonObject qa, string context, FixedSpan fix)
    {
        var id = qa["id"]!.GetValue<string>();
        if (fix.Start < 0 || fix.End > context.Length || string.CompareOrdinal(context, fix.Start, fix.Text, 0, fix.Text.Length) != 0)
        {
            throw new InputException($"{file}: question '{id}': the fixed answer '{fix.Text}' is not at {fix.Start} of its context; the file changed since the run.");
        }
        var answer = new JsonObject
        {
            ["answer_start"] = SquadOffsets.Utf16ToCodePoint(context, fix.Start),
            ["text"] = fix.Text,
        };
        if (qa["answers"] is JsonArray { Count: > 0 } answers)
        {
            answers[0] = answer;
        }
        else
        {
            qa["answers"] = new JsonArray(answer);
        }
    }

    private static JsonObject ReadRoot(string file)
    {
        JsonNode? root;
        try
        {
            var bytes = JsonInputFile.ReadAllBytes(file, "SQuAD");
            var bom = bytes.AsSpan().StartsWith(JsonInputFile.Utf8Bom) ? JsonInputFile.Utf8Bom.Length : 0;
            root = JsonNode.Parse(bytes.AsSpan(bom));
        }
        catch (JsonException ex)
        {
            throw new InputException($"SQuAD file '{file}' is not valid JSON at line {ex.LineNumber + 1}: {ex.Message}", ex);
        }
        if (root is not JsonObject rootObject || rootObject["data"] is not JsonArray)
        {
            throw new InputException($"SQuAD file '{file}' has no 'data' array in its top-level object.");
        }
        return rootObject;
    }
}
