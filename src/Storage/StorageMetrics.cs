namespace Alerts.Storage;

/// <summary>The meter every store reports its calls and latencies under.</summary>
public static class StorageMetrics
{
    public const string MeterName = Alerts.Contracts.Telemetry.AlertsTelemetry.StorageMeter;
}
