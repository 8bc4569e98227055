using Alerts.Contracts;

namespace Alerts.Tests.Support;

/// <summary>Platform events for the webhook tests: each run failure with a run id of its own.</summary>
public static class PlatformEvents
{
    private static int _runs;

    public static RunFailed RunFailed(string? id = null) => new(
        RunId: 1000 + Interlocked.Increment(ref _runs),
        RunStatus: "failed",
        AdminLink: "https://admin.example/runs/1",
        ApiLink: "https://api.example/runs/1",
        ApiStatusLink: "https://api.example/runs/1/status",
        ApiTriggersLink: "https://api.example/runs/1/triggers",
        TenantId: 5,
        TenantName: "Tenant One",
        IntegrationId: 9,
        IntegrationName: "CRM push") { EventId = id };
}
