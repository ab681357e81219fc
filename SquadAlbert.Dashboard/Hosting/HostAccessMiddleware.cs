using Microsoft.Extensions.Options;

namespace SquadAlbert.Dashboard.Hosting;

/// <summary>
/// Refuses DNS rebinding. A page on any site can make its own name resolve to 127.0.0.1; the browser then sends that
/// name as <c>Host</c>, and the page could read the exports and drive the UI (start runs on any local path, overwrite
/// review decisions) over Blazor's connection. So a request whose <c>Host</c> is not an allowed name gets 400, and
/// one whose <c>Origin</c> (sent by browsers on the WebSocket upgrade, on POSTs such as <c>/_blazor/negotiate</c> and
/// on cross-site fetches) is not an allowed name gets 403, before anything else runs.
/// </summary>
public sealed class HostAccessMiddleware
{
    private readonly RequestDelegate _next;
    private readonly HostAllowList _allowed;
    private readonly ILogger<HostAccessMiddleware> _logger;

    public HostAccessMiddleware(RequestDelegate next, IOptions<HostAccessOptions> options, ILogger<HostAccessMiddleware> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _next = next;
        _allowed = new HostAllowList(options.Value.AllowedHosts);
        _logger = logger;
    }

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (!_allowed.AllowsHost(request.Host))
        {
            _logger.LogWarning("Refused {Method} {Path} for host '{Host}': not one of the allowed hosts ({Allowed}; more in SquadAlbert:AllowedHosts).",
                request.Method, request.Path, request.Host.Value, string.Join(", ", _allowed.Hosts));
            return RefuseAsync(context, StatusCodes.Status400BadRequest,
                "This dashboard answers only to the host names it is configured for (SquadAlbert:AllowedHosts).");
        }
        foreach (var origin in request.Headers.Origin)
        {
            if (!_allowed.AllowsOrigin(origin))
            {
                _logger.LogWarning("Refused {Method} {Path} from origin '{Origin}': not one of the allowed hosts.", request.Method, request.Path, origin);
                return RefuseAsync(context, StatusCodes.Status403Forbidden,
                    "Requests from pages of other sites are refused (SquadAlbert:AllowedHosts lists the allowed host names).");
            }
        }
        return _next(context);
    }

    /// <summary>A plain-text answer that names neither the host nor the origin, so nothing of the request is reflected.</summary>
    private static Task RefuseAsync(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message);
    }
}

public static class HostAccessRegistration
{
    /// <summary>Binds <see cref="HostAccessOptions"/> from <c>SquadAlbert:AllowedHosts</c>.</summary>
    public static IServiceCollection AddHostAccessChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HostAccessOptions>().Bind(configuration.GetSection(HostAccessOptions.Section));
        return services;
    }

    /// <summary>The host and origin checks; call first, so no other middleware or endpoint sees a refused request.</summary>
    public static IApplicationBuilder UseHostAccessChecks(this IApplicationBuilder app) => app.UseMiddleware<HostAccessMiddleware>();
}
