namespace SquadAlbert.Dashboard.Hosting;

/// <summary>
/// The host names the dashboard answers to besides the loopback ones (<c>SquadAlbert:AllowedHosts</c>, a list). The
/// dashboard binds to 127.0.0.1, so by default only the names a browser uses for that address are accepted; a user who
/// deliberately serves on another address lists the names browsers will use for it.
/// </summary>
public sealed class HostAccessOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string Section = "SquadAlbert";

    /// <summary>Always accepted, with any port.</summary>
    public static IReadOnlyList<string> LoopbackHosts { get; } = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>Extra host names such as <c>studio.lan</c>, <c>192.168.1.20</c> or <c>[fe80::1]</c>; a port or scheme
    /// given with one is ignored.</summary>
    public IList<string> AllowedHosts { get; } = [];
}
