using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SquadAlbert.Dashboard.Tests.Hosting;

/// <summary>
/// DNS rebinding: a foreign page that makes its own name resolve to 127.0.0.1 sends that name as Host and its own
/// origin as Origin. Pages, exports and Blazor's connection must refuse both; loopback names must keep working.
/// </summary>
public sealed class HostAccessTests(HostAccessTests.DefaultHost host) : IClassFixture<HostAccessTests.DefaultHost>
{
    public sealed class DefaultHost : DashboardHost;

    private const string Foreign = "http://evil.example:5278";
    private const string Page = "/not-found";
    private const string Export = "/runs/1/export/decisions.csv";
    private const string Negotiate = "/_blazor/negotiate?negotiateVersion=1";

    [Theory]
    [InlineData(Page)]
    [InlineData(Export)]
    public async Task A_page_or_an_export_under_a_foreign_host_name_is_refused(string path)
    {
        using var client = host.ClientFor(Foreign);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("evil", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blazor_negotiate_under_a_foreign_host_name_is_refused()
    {
        using var client = host.ClientFor(Foreign);

        using var response = await PostNegotiateAsync(client, origin: Foreign);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData(Foreign)]
    [InlineData("null")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("http://127.0.0.1.nip.io:5278")]
    [InlineData("chrome-extension://localhost")]
    public async Task Blazor_negotiate_from_a_foreign_origin_is_refused(string origin)
    {
        using var client = host.ClientFor("http://127.0.0.1:5278");

        using var response = await PostNegotiateAsync(client, origin);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_export_fetched_by_a_foreign_page_is_refused()
    {
        using var client = host.ClientFor("http://localhost:5278");
        using var request = new HttpRequestMessage(HttpMethod.Get, Export);
        request.Headers.Add("Origin", Foreign);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_blazor_websocket_upgrade_from_a_foreign_origin_is_refused()
    {
        var token = await NegotiateTokenAsync(host, "http://localhost");
        var socket = host.Server.CreateWebSocketClient();
        socket.ConfigureRequest = request => request.Headers.Origin = Foreign;

        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => socket.ConnectAsync(BlazorSocket(token), CancellationToken.None));
    }

    [Theory]
    [InlineData("http://localhost")]
    [InlineData("http://127.0.0.1:5278")]
    [InlineData("http://[::1]:5278")]
    [InlineData("https://LocalHost:7000")]
    public async Task Loopback_names_reach_pages_exports_and_the_blazor_connection(string baseAddress)
    {
        using var client = host.ClientFor(baseAddress);

        using var page = await client.GetAsync(new Uri(Page, UriKind.Relative));
        using var export = await client.GetAsync(new Uri(Export, UriKind.Relative));
        var token = await NegotiateTokenAsync(host, baseAddress);
        var socket = host.Server.CreateWebSocketClient();
        socket.ConfigureRequest = request => request.Headers.Origin = baseAddress;
        using var connected = await socket.ConnectAsync(BlazorSocket(token), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.StartsWith("run_id,", await export.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_extra_host_is_served_and_others_still_refused()
    {
        using var configured = new DashboardHost("studio.lan", "http://192.168.1.20:8080");
        using var studio = configured.ClientFor("http://studio.lan:5278");
        using var lan = configured.ClientFor("http://192.168.1.20:5278");
        using var foreign = configured.ClientFor(Foreign);

        using var studioPage = await studio.GetAsync(new Uri(Page, UriKind.Relative));
        using var studioNegotiate = await PostNegotiateAsync(studio, "http://studio.lan:5278");
        using var lanPage = await lan.GetAsync(new Uri(Page, UriKind.Relative));
        using var foreignPage = await foreign.GetAsync(new Uri(Page, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, studioPage.StatusCode);
        Assert.Equal(HttpStatusCode.OK, studioNegotiate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, lanPage.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, foreignPage.StatusCode);
    }

    private static async Task<HttpResponseMessage> PostNegotiateAsync(HttpClient client, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Negotiate) { Content = new StringContent("") };
        request.Headers.Add("Origin", origin);
        return await client.SendAsync(request);
    }

    /// <summary>The connection token of a negotiate made the way the page's own script makes it.</summary>
    private static async Task<string> NegotiateTokenAsync(DashboardHost host, string baseAddress)
    {
        using var client = host.ClientFor(baseAddress);
        using var response = await PostNegotiateAsync(client, baseAddress);
        response.EnsureSuccessStatusCode();
        var negotiation = await response.Content.ReadFromJsonAsync<JsonElement>();
        return negotiation.GetProperty("connectionToken").GetString()!;
    }

    private static Uri BlazorSocket(string token) => new($"ws://localhost/_blazor?id={Uri.EscapeDataString(token)}");
}
