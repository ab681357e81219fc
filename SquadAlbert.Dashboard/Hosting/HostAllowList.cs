namespace SquadAlbert.Dashboard.Hosting;

/// <summary>
/// Decides whether a request's <c>Host</c> and <c>Origin</c> name an allowed host. Ports are ignored: the loopback
/// names are safe on any port, and a port never distinguishes a rebound name from ours.
/// </summary>
public sealed class HostAllowList
{
    private readonly HashSet<string> _hosts = new(HostAccessOptions.LoopbackHosts, StringComparer.OrdinalIgnoreCase);

    public HostAllowList(IEnumerable<string> extraHosts)
    {
        ArgumentNullException.ThrowIfNull(extraHosts);
        foreach (var entry in extraHosts)
        {
            if (!string.IsNullOrWhiteSpace(entry))
            {
                _hosts.Add(HostOf(entry.Trim()));
            }
        }
    }

    /// <summary>The host names accepted.</summary>
    public IReadOnlyCollection<string> Hosts => _hosts;

    /// <summary>A <c>Host</c> header's name (bracketed for IPv6) is allowed; a request without one is not.</summary>
    public bool AllowsHost(HostString host) => host.HasValue && _hosts.Contains(host.Host);

    /// <summary>
    /// An <c>Origin</c> (<c>scheme://host[:port]</c>) is an http(s) page served under an allowed name. The opaque
    /// origin <c>null</c> (sandboxed frames, local files) names no host and is refused.
    /// </summary>
    public bool AllowsOrigin(string? origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && _hosts.Contains(uri.Host);

    /// <summary>A configured entry as the name alone: users write <c>host</c>, <c>host:port</c> or a whole URL.</summary>
    private static string HostOf(string entry) =>
        entry.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(entry, UriKind.Absolute, out var uri)
            ? uri.Host
            : new HostString(entry).Host;
}
