using Microsoft.AspNetCore.Http;
using SquadAlbert.Dashboard.Hosting;

namespace SquadAlbert.Dashboard.Tests.Hosting;

public sealed class HostAllowListTests
{
    [Theory]
    [InlineData("localhost:5278", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("127.0.0.1:1", true)]
    [InlineData("[::1]:5278", true)]
    [InlineData("evil.example:5278", false)]
    [InlineData("localhost.evil.example", false)]
    [InlineData("127.0.0.2", false)]
    [InlineData("", false)]
    public void Only_loopback_names_are_allowed_by_default(string host, bool allowed) =>
        Assert.Equal(allowed, new HostAllowList([]).AllowsHost(new HostString(host)));

    [Theory]
    [InlineData("http://127.0.0.1:5278", true)]
    [InlineData("https://[::1]", true)]
    [InlineData("null", false)]
    [InlineData("", false)]
    [InlineData("http://evil.example", false)]
    [InlineData("http://127.0.0.1@evil.example", false)]
    [InlineData("ws://localhost", false)]
    public void Origins_are_compared_by_host_name(string origin, bool allowed) =>
        Assert.Equal(allowed, new HostAllowList([]).AllowsOrigin(origin));

    [Fact]
    public void Configured_hosts_count_by_name_whatever_port_or_scheme_they_are_written_with()
    {
        var allowed = new HostAllowList(["studio.lan:8080", "https://Box.Example/", "[fe80::1]", " ", "192.168.1.20"]);

        Assert.True(allowed.AllowsHost(new HostString("studio.lan")));
        Assert.True(allowed.AllowsHost(new HostString("box.example:5278")));
        Assert.True(allowed.AllowsHost(new HostString("[fe80::1]:5278")));
        Assert.True(allowed.AllowsOrigin("http://192.168.1.20:5278"));
        Assert.True(allowed.AllowsHost(new HostString("localhost")));
        Assert.False(allowed.AllowsHost(new HostString("evil.example")));
    }
}
