using System.Diagnostics;
using System.Globalization;

namespace SquadAlbert.Analysis.Runs;

/// <summary>
/// One writer of runs: a random id (two runners in one process are two writers) and the process it lives in. The
/// process is named by host, id and start time, because ids are reused: a claim whose process is gone, or whose id now
/// belongs to a process started at another time, was left by a killed writer.
/// </summary>
public sealed record RunWriter(string WriterId, string Host, int ProcessId, string ProcessStart)
{
    /// <summary>A new writer in this process.</summary>
    public static RunWriter ForThisProcess()
    {
        var id = Environment.ProcessId;
        return new RunWriter(Guid.NewGuid().ToString("N"), Environment.MachineName, id, ProcessLiveness.StartToken(id) ?? "");
    }

    /// <summary>False only when this writer's process is known to be gone: on this host, no process with its id and start
    /// time runs. A writer on another host cannot be checked and counts as running (its heartbeat decides).</summary>
    public bool MayBeRunning =>
        !string.Equals(Host, Environment.MachineName, StringComparison.Ordinal) || ProcessLiveness.IsRunning(ProcessId, ProcessStart);

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"process {ProcessId} on {Host}");
}

/// <summary>Whether a process id still names the process that had it.</summary>
internal static class ProcessLiveness
{
    /// <summary>What tells two processes with the same id apart: on Linux the start time in clock ticks since boot
    /// (<c>/proc/PID/stat</c> field 22, exact); elsewhere <see cref="Process.StartTime"/>. Null when no such process runs.</summary>
    public static string? StartToken(int processId)
    {
        if (OperatingSystem.IsLinux())
        {
            return LinuxStat(processId) is { } stat && stat.State is not ('Z' or 'X') ? stat.StartTicks : null;
        }
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.HasExited ? null : process.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Gone, or not ours to inspect: an uninspectable process is treated as gone only when it does not exist.
            return e is ArgumentException ? null : "";
        }
    }

    /// <summary>True when a process with this id runs and started when <paramref name="startToken"/> says (an empty token,
    /// recorded where the start could not be read, matches any process with the id).</summary>
    public static bool IsRunning(int processId, string startToken)
    {
        var current = StartToken(processId);
        return current is not null && (startToken.Length == 0 || current.Length == 0 || current == startToken);
    }

    /// <summary>State and start ticks from <c>/proc/PID/stat</c>. The command name (field 2) is in parentheses and may hold
    /// spaces and parentheses itself, so fields are counted from the LAST ')'.</summary>
    private static (char State, string StartTicks)? LinuxStat(int processId)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }
        // After ')': field 3 (state) is at index 0, so field 22 (starttime) is at index 19.
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19 && fields[0].Length == 1 ? (fields[0][0], fields[19]) : null;
    }
}
