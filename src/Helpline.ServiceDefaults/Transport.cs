using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Helpline.ServiceDefaults;

/// <summary>
/// Section <c>Transport</c>: how a service sits behind its reverse proxy in production. Only the
/// proxies (or networks) named here may say, with <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>,
/// who the client is and that it came over HTTPS; anyone else's forwarded headers are ignored.
/// </summary>
public sealed class TransportOptions
{
    public const string Section = "Transport";

    /// <summary>Addresses of the reverse proxies in front of the service (loopback is always trusted).</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks of reverse proxies, in CIDR form (<c>10.0.0.0/8</c>).</summary>
    public IList<string> KnownNetworks { get; } = [];

    /// <summary>
    /// In Production, <c>/metrics</c>, <c>/openapi</c> and its explorer are served only on this port (a
    /// listener of its own, e.g. <c>ASPNETCORE_URLS=http://+:8080;http://+:9464</c>, never published to
    /// the internet); without it they are not served at all. Elsewhere they are served on every port.
    /// </summary>
    public int? ManagementPort { get; set; }

    internal bool Valid() =>
        KnownProxies.All(p => IPAddress.TryParse(p, out _))
        && KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _))
        && ManagementPort is null or (> 0 and < 65536);
}

/// <summary>Forwarded headers, HSTS and the management port, shared by both services.</summary>
internal static class Transport
{
    public static void AddTransport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TransportOptions>().BindConfiguration(TransportOptions.Section)
            .Validate(o => o.Valid(), "Transport: KnownProxies must be IP addresses, KnownNetworks CIDR networks, ManagementPort a port number.")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TransportOptions>>((forwarded, transport) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in transport.Value.KnownProxies.Where(p => IPAddress.TryParse(p, out _)))
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in transport.Value.KnownNetworks.Where(n => System.Net.IPNetwork.TryParse(n, out _)))
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        // In Production the Host header must name one of the service's own hosts (AllowedHosts, host filtering).
        var production = builder.Environment.IsProduction();
        builder.Services.AddOptions<HostFilteringOptions>()
            .Validate(o => !production || (o.AllowedHosts.Count > 0 && !o.AllowedHosts.Contains("*")), "AllowedHosts must name the service's hosts in Production (not *), e.g. AllowedHosts=helpline.example.org;localhost.")
            .ValidateOnStart();
        builder.Services.AddHsts(hsts =>
        {
            hsts.MaxAge = TimeSpan.FromDays(365);
            hsts.IncludeSubDomains = true;
        });
    }

    /// <summary>First in the pipeline: the client's address and scheme as the trusted proxy saw them; HSTS on HTTPS outside Development.</summary>
    public static void UseTransport(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
    }

    /// <summary>Whether the management endpoints are served at all, and on which port only (null: every port).</summary>
    public static (bool Served, int? OnlyOnPort) Management(WebApplication app)
    {
        if (!app.Environment.IsProduction())
        {
            return (true, null);
        }

        var port = app.Services.GetRequiredService<IOptions<TransportOptions>>().Value.ManagementPort;
        return (port is not null, port);
    }
}
