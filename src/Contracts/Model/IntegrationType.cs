namespace Alerts.Contracts;

/// <summary>The kinds of integration the platform runs (SPEC §2, §7).</summary>
[GenerateSerializer, Alias("alerts.integration-type")]
public enum IntegrationType
{
    InboundWebhook = 0,
    OutboundWebhook = 1,
    Prebuilt = 2,
    CustomNode = 3,
    CustomEvent = 4,
}

public static class IntegrationTypes
{
    private static readonly Dictionary<string, IntegrationType> ByWire = new(StringComparer.Ordinal)
    {
        ["inbound_webhook"] = IntegrationType.InboundWebhook,
        ["outbound_webhook"] = IntegrationType.OutboundWebhook,
        ["prebuilt"] = IntegrationType.Prebuilt,
        ["custom_node"] = IntegrationType.CustomNode,
        ["custom_event"] = IntegrationType.CustomEvent,
    };

    public static IReadOnlyCollection<string> WireNames => ByWire.Keys;

    public static bool TryParse(string? wire, out IntegrationType type) =>
        ByWire.TryGetValue(wire ?? "", out type);

    public static string Wire(this IntegrationType type) => type switch
    {
        IntegrationType.InboundWebhook => "inbound_webhook",
        IntegrationType.OutboundWebhook => "outbound_webhook",
        IntegrationType.Prebuilt => "prebuilt",
        IntegrationType.CustomNode => "custom_node",
        IntegrationType.CustomEvent => "custom_event",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static Direction Direction(this IntegrationType type) => type switch
    {
        IntegrationType.OutboundWebhook or IntegrationType.Prebuilt or IntegrationType.CustomNode => Contracts.Direction.Outgoing,
        IntegrationType.InboundWebhook or IntegrationType.CustomEvent => Contracts.Direction.Incoming,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
