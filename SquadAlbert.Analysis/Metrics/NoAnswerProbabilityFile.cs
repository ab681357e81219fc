using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace SquadAlbert.Analysis.Metrics;

/// <summary>
/// The <c>--na-prob-file</c> of evaluate-v2.0.py: one JSON object mapping question id to a number, the reader's
/// no-answer probability (or any score that is larger when an answer is less likely, such as Hugging Face's
/// <c>null_odds.json</c> of null score − best span score).
/// </summary>
public static class NoAnswerProbabilityFile
{
    private const string Role = "No-answer probability";

    /// <summary>The entries in file order; a repeated id appears twice (<see cref="OfficialSquadV2Metric.Evaluate"/>
    /// keeps its first position and last value, as Python's <c>json.load</c> does).</summary>
    /// <exception cref="InputException">Missing or unreadable file, invalid JSON or UTF-8, or a value that is not a number.</exception>
    public static IReadOnlyList<KeyValuePair<string, NoAnswerProbability>> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var (document, bytes) = JsonInputFile.ParseDocument(path, Role);
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InputException($"{Role} file '{path}': $ must be {JsonInputFile.Describe(JsonValueKind.Object)}, found {JsonInputFile.Describe(document.RootElement.ValueKind)}.");
            }
            var entries = new List<KeyValuePair<string, NoAnswerProbability>>();
            try
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var value) || !double.IsFinite(value))
                    {
                        throw new InputException(
                            $"{Role} file '{path}': $[\"{property.Name}\"] must be a finite number, found {JsonInputFile.OneLine(property.Value.GetRawText(), 40)}.");
                    }
                    var raw = property.Value.GetRawText();
                    // A JSON integer is a Python int: a threshold taken from it prints as one.
                    var repr = raw.AsSpan().IndexOfAny(".eE") < 0
                        ? BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)
                        : PythonFloat.Repr(value);
                    entries.Add(KeyValuePair.Create(property.Name, new NoAnswerProbability(value, repr)));
                }
            }
            catch (InvalidOperationException ex)
            {
                throw JsonInputFile.FirstInvalidString(bytes, path, Role, ex);
            }
            return entries;
        }
    }
}
