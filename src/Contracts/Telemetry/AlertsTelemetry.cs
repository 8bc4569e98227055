using System.Diagnostics;

namespace Alerts.Contracts.Telemetry;

/// <summary>
/// The names every Alerts process exports under: one meter and one activity source for Alerts' own instruments and
/// spans (listed in docs/operations.md), beside Orleans', ASP.NET Core's, HttpClient's and the runtime's.
/// </summary>
public static class AlertsTelemetry
{
    public const string Name = "Alerts";

    /// <summary>The storage adapters' meter (requests per table).</summary>
    public const string StorageMeter = "Alerts.Storage";

    /// <summary>Spans Alerts starts itself (a decision, a delivery pass): children of the request that caused them.</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>
    /// The W3C <c>traceparent</c> of the span running now, to be stored with work that outlives it (an outbox entry, a
    /// waiting webhook message); null when nothing is traced (no listener: the usual case without OTLP).
    /// </summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// Starts a span continuing the trace a stored <c>traceparent</c> names — work picked up later by another part
    /// (the delivery worker, a webhook's loop) — or, without one, a child of the span current now (a new trace when
    /// none). Null when nothing listens.
    /// </summary>
    public static Activity? StartContinuing(string name, string? traceParent, ActivityKind kind = ActivityKind.Internal) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: false, out var parent)
            ? Source.StartActivity(name, kind, parent)
            : Source.StartActivity(name, kind);
}
