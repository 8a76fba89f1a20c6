using System.Diagnostics.Metrics;
using System.Text.Json.Serialization;
using Helpline.ServiceDefaults;
using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>What every Helpline service has: telemetry, health, problem details, OpenAPI.</summary>
public static class ServiceDefaultsExtensions
{
    public const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddTelemetry();
        builder.AddTransport();

        builder.Services.AddHealthChecks();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        return builder;
    }

    private static void AddTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = false;
        });
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.AddJsonConsole();
        }

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(InstrumentationOptions.MeterName)
                .AddView(PrometheusCompatibleView)
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options =>
                    options.Filter = context => !IsInfrastructurePath(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddSource(DiagnosticHeaders.DefaultListenerName)
                .AddSource("Npgsql")
                .AddSource("Microsoft.AspNetCore.SignalR.Server")
                .AddSource(HelplineTelemetry.ActivitySourcePrefix + "*"));

        // The helpline's own meters are enabled for this host's meter factory only (not by AddMeter, which listens
        // to every meter of that name in the process): a second host in the same process — the tests run many —
        // neither shows in this one's figures nor, when it stops, ends them (open-telemetry/opentelemetry-dotnet#6412).
        builder.Metrics.EnableMetrics(HelplineTelemetry.MeterPrefix.TrimEnd('.'), instrumentName: null, listenerName: "OpenTelemetry", scopes: MeterScope.Local);

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }
    }

    private static readonly Dictionary<string, string> CountGaugeNames = new(StringComparer.Ordinal)
    {
        ["dotnet.assembly.count"] = "dotnet.assembly.loaded",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.timer.count"] = "dotnet.timer.active",
    };

    /// <summary>
    /// Keeps the scrape clean under <c>promtool check metrics</c>: the runtime's gauges named
    /// <c>*.count</c> are renamed, and MassTransit's duration histograms (recorded in milliseconds,
    /// which Prometheus rejects as a base unit) are dropped; traces carry those durations.
    /// </summary>
    private static MetricStreamConfiguration? PrometheusCompatibleView(Instrument instrument)
    {
        if (instrument.Meter.Name == InstrumentationOptions.MeterName && instrument.Unit == "ms")
        {
            return MetricStreamConfiguration.Drop;
        }

        return CountGaugeNames.TryGetValue(instrument.Name, out var name) ? new MetricStreamConfiguration { Name = name } : null;
    }

    private static bool IsManagementPath(PathString path) =>
        path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase);

    private static bool IsInfrastructurePath(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);

    /// <summary>Health, metrics, OpenAPI and the error handler; call before mapping features.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.UseTransport();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        // In Production, only on the management port (TransportOptions.ManagementPort), or not at all: the
        // port the connection really came in on, never the Host header a client chooses.
        var (served, port) = Transport.Management(app);
        if (served)
        {
            if (port is { } only)
            {
                app.UseWhen(
                    context => context.Connection.LocalPort != only && IsManagementPath(context.Request.Path),
                    refused => refused.Run(context =>
                    {
                        context.Response.StatusCode = StatusCodes.Status404NotFound;
                        return Task.CompletedTask;
                    }));
            }

            app.MapPrometheusScrapingEndpoint("/metrics");
            app.MapOpenApi();
            app.UseSwaggerUI(options =>
            {
                options.SwaggerEndpoint("/openapi/v1.json", app.Environment.ApplicationName);
                options.RoutePrefix = "openapi";
            });
        }

        return app;
    }
}
