using System.Globalization;
using Microsoft.AspNetCore.Components;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Dashboard.Features.Runs;

/// <summary>Two runs over the same questions (<c>/runs/compare?a=&amp;b=</c>): flip counts, mean deltas and the flipped samples.</summary>
public sealed partial class ComparePage
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    [Inject] private RunDatabase Database { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "a")] public long? RunA { get; set; }

    [SupplyParameterFromQuery(Name = "b")] public long? RunB { get; set; }

    private RunComparisonResult? Result { get; set; }
    private IReadOnlyList<SampleDelta> Flipped { get; set; } = [];
    private string? Error { get; set; }

    /// <summary>Also list questions whose F1 changed without an exact-match flip (random or close models rarely flip).</summary>
    private bool IncludeF1Changes { get; set; }

    private IReadOnlyList<SampleDelta> Rows => Result is null ? []
        : IncludeF1Changes ? [.. Result.Samples.Where(s => s.Flip != Flip.None || s.F1Delta != 0)] : Flipped;

    protected override void OnParametersSet()
    {
        Result = null;
        Flipped = [];
        if (RunA is not { } a || RunB is not { } b)
        {
            Error = "Choose two runs: /runs/compare?a=RUN&b=RUN, or tick two runs on the Runs page.";
            return;
        }
        try
        {
            Result = RunComparison.Compare(Database.Connections, a, b);
            Flipped = [.. Result.Samples.Where(s => s.Flip != Flip.None)];
            Error = null;
        }
        catch (InputException e)
        {
            Error = e.Message;
        }
    }

    private static string Number(double value, string format = "F2") => value.ToString(format, Culture);

    private static string Signed(double value, string format = "F2") => (value > 0 ? "+" : "") + value.ToString(format, Culture);

    private static string FlipText(Flip flip) => flip switch
    {
        Flip.RightToWrong => "right → wrong",
        Flip.WrongToRight => "wrong → right",
        _ => "same",
    };
}
