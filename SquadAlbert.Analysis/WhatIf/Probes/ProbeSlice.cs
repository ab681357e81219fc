using System.Globalization;

namespace SquadAlbert.Analysis.WhatIf.Probes;

/// <summary>Which samples of a run a slice keeps.</summary>
public enum ProbeSliceKind
{
    WholeRun,
    Title,
    /// <summary>A k-means cluster (<c>samples.cluster</c>).</summary>
    Cluster,
    HdbscanCluster,
    QuestionType,
    AnswerType,
}

/// <summary>The samples a probe runs over: every sample of a run, or those with one title, cluster, question or answer type; at
/// most <see cref="Limit"/> of them (the first in sample order).</summary>
public sealed record ProbeSlice(ProbeSliceKind Kind, string? Value = null, int? Limit = null)
{
    public static ProbeSlice WholeRun(int? limit = null) => new(ProbeSliceKind.WholeRun, null, limit);

    /// <summary>In words, e.g. "title = Normans (first 50)".</summary>
    public string Description
    {
        get
        {
            var what = Kind switch
            {
                ProbeSliceKind.WholeRun => "whole run",
                ProbeSliceKind.Title => $"title = {Value}",
                ProbeSliceKind.Cluster => $"k-means cluster {Value}",
                ProbeSliceKind.HdbscanCluster => $"HDBSCAN cluster {Value}",
                ProbeSliceKind.QuestionType => $"question type = {Value}",
                _ => $"answer type = {Value}",
            };
            return Limit is { } limit ? string.Create(CultureInfo.InvariantCulture, $"{what} (first {limit})") : what;
        }
    }

    /// <summary>What makes two slices equal (a resumed probe run must cover the same one).</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Kind}|{Value}|{Limit}");

    /// <exception cref="InputException">A value is missing, or the limit is not positive.</exception>
    public void Validate()
    {
        if (Kind != ProbeSliceKind.WholeRun && string.IsNullOrWhiteSpace(Value))
        {
            throw new InputException($"probe slice: {Kind} needs a value.");
        }
        if (Limit is <= 0)
        {
            throw new InputException(string.Create(CultureInfo.InvariantCulture, $"probe slice: the limit must be positive, got {Limit}."));
        }
    }
}
