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
}
