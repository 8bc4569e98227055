namespace Alerts.Contracts;

/// <summary>Which way data flows through an integration (SPEC §2).</summary>
[GenerateSerializer, Alias("alerts.direction")]
public enum Direction
{
    /// <summary>Data pushed to an external system: outbound webhooks, prebuilt and custom-node integrations.</summary>
    Outgoing = 0,

    /// <summary>Data received: inbound webhooks and custom events.</summary>
    Incoming = 1,
}

public static class Directions
{
    public static readonly IReadOnlyList<Direction> All = [Direction.Outgoing, Direction.Incoming];

    /// <summary>The settings block name of SPEC §2.</summary>
    public static string SettingsName(this Direction direction) => direction switch
    {
        Direction.Outgoing => "outgoing_integrations",
        Direction.Incoming => "incoming_webhooks",
        _ => throw new ArgumentOutOfRangeException(nameof(direction)),
    };

    /// <summary>The notification event a user subscribes to for this direction's threshold alerts (SPEC §2.4).</summary>
    public static string ErrorEvent(this Direction direction) => direction switch
    {
        Direction.Outgoing => NotificationEvents.OutgoingIntegrationError,
        Direction.Incoming => NotificationEvents.IncomingWebhookError,
        _ => throw new ArgumentOutOfRangeException(nameof(direction)),
    };

    /// <summary>Lower-case word for messages and JSON ("outgoing", "incoming").</summary>
    public static string Wire(this Direction direction) => direction switch
    {
        Direction.Outgoing => "outgoing",
        Direction.Incoming => "incoming",
        _ => throw new ArgumentOutOfRangeException(nameof(direction)),
    };
}
