using Alerts.Contracts.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Alerts.Api.Telemetry;

/// <summary>
/// OpenTelemetry in a host that serves Alerts' HTTP (the silo, or the standalone gateway): Alerts' own instruments,
/// the storage adapters', Orleans', ASP.NET Core's, HttpClient's and the runtime's, scraped by Prometheus at
/// <c>/metrics</c> on the HTTP port. With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, metrics and traces also go out over
/// OTLP (traces only then: spans cost a few microseconds per request that nobody would read otherwise).
/// </summary>
public static class AlertsTelemetrySetup
{
    /// <summary>Orleans' meter and activity sources.</summary>
    private const string OrleansMeter = "Microsoft.Orleans";
    private static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static IServiceCollection AddAlertsTelemetry(this IServiceCollection services, string serviceName)
    {
        var otlp = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddMeter(AlertsTelemetry.Name, AlertsTelemetry.StorageMeter, OrleansMeter)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(AlertsTelemetry.Name)
                .AddSource(OrleansSources)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());
            telemetry.UseOtlpExporter();
        }
        return services;
    }

    /// <summary>The Prometheus exposition at <c>/metrics</c>, without a key (counts only; no tenant's data).</summary>
    public static WebApplication MapAlertsMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        return app;
    }
}
