namespace Alerts.Contracts;

/// <summary>Event names users subscribe to in <c>notification_events</c>.</summary>
public static class NotificationEvents
{
    /// <summary>Threshold alerts for outgoing integrations (SPEC §2.4). Internal: never sent to webhooks.</summary>
    public const string OutgoingIntegrationError = "outgoing_integration__error";

    /// <summary>Threshold alerts for incoming webhooks (SPEC §2.4). Internal: never sent to webhooks.</summary>
    public const string IncomingWebhookError = "incoming_webhook__error";

    /// <summary>Platform events of SPEC §5, which users may also subscribe to by e-mail.</summary>
    public static readonly IReadOnlyList<string> PlatformEvents =
    [
        "integration_created",
        "tenant_created",
        "tenant_archived",
        "partner_integration_updated",
        "run_failed",
    ];

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(
        [OutgoingIntegrationError, IncomingWebhookError, .. PlatformEvents], StringComparer.Ordinal);
}
