namespace Alerts.Contracts;

/// <summary>Where a delivery target posts (issue 22, item 1).</summary>
[GenerateSerializer, Alias("alerts.target-type")]
public enum TargetType
{
    /// <summary>A Slack incoming webhook: Block Kit messages.</summary>
    Slack = 0,
    /// <summary>A Microsoft Teams incoming webhook (a Workflows URL): a message with one Adaptive Card.</summary>
    Teams = 1,
    /// <summary>Any URL: the notification as JSON, signed like a webhook subscription (Standard Webhooks).</summary>
    Webhook = 2,
}

/// <summary>The rules of delivery targets, shared by the API and the grain.</summary>
public static class TargetRules
{
    /// <summary>At most this many targets per user.</summary>
    public const int MaxPerUser = 5;

    /// <summary>What an organization's shared target may follow besides the two threshold events: every connection's notices.</summary>
    public const string ConnectionsEvent = "connections";

    /// <summary>What a shared target may follow.</summary>
    public static readonly IReadOnlyList<string> SharedEvents =
        [NotificationEvents.OutgoingIntegrationError, NotificationEvents.IncomingWebhookError, ConnectionsEvent];

    public static string Wire(this TargetType type) => type switch
    {
        TargetType.Slack => "slack",
        TargetType.Teams => "teams",
        _ => "webhook",
    };

    public static TargetType? ParseType(string? wire) => wire switch
    {
        "slack" => TargetType.Slack,
        "teams" => TargetType.Teams,
        "webhook" => TargetType.Webhook,
        _ => null,
    };

    /// <summary>
    /// A target's URL as listed and told: scheme, host and port only, the rest shown as <c>/…</c>. A Slack or Teams
    /// incoming-webhook URL carries its credential in the path (and a Workflows URL in the query), so neither is shown.
    /// </summary>
    public static string Masked(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "";
        var shown = uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
        return uri.PathAndQuery is "/" or "" ? shown + "/" : shown + "/…";
    }

    /// <summary>Whether a shared target following <paramref name="events"/> gets a notification for <paramref name="audience"/>.</summary>
    public static bool SharedFollows(IReadOnlyList<string> events, string audience) =>
        audience.StartsWith(UserProfile.ConnectionAudiencePrefix, StringComparison.Ordinal)
            ? events.Contains(ConnectionsEvent, StringComparer.Ordinal)
            : events.Contains(audience, StringComparer.Ordinal);
}

/// <summary>
/// A new delivery target: a user's own (<see cref="UserId"/>) or the organization's, shared (then <see cref="Events"/>
/// says what it follows). <see cref="Url"/> is an incoming-webhook URL, kept as a secret.
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.target-spec")]
public sealed record TargetSpec(
    [property: Id(0)] TargetType Type,
    [property: Id(1)] string Url,
    [property: Id(2)] string Name,
    [property: Id(3)] string? UserId,
    [property: Id(4)] IReadOnlyList<string>? Events);

/// <summary>A target as listed: its URL masked (a Slack or Teams URL is its own credential).</summary>
[GenerateSerializer, Immutable, Alias("alerts.target-view")]
public sealed record TargetView(
    [property: Id(0)] string Id,
    [property: Id(1)] TargetType Type,
    [property: Id(2)] string Name,
    [property: Id(3)] string MaskedUrl,
    [property: Id(4)] string? UserId,
    [property: Id(5)] IReadOnlyList<string> Events,
    [property: Id(6)] bool Enabled,
    [property: Id(7)] int ConsecutiveFailures,
    [property: Id(8)] string? DisabledReason,
    [property: Id(9)] DateTimeOffset? DisabledAt,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset? LastDeliveredAt,
    [property: Id(12)] string? LastError);

/// <summary>A target with its signing secret: only when a <c>webhook</c> target is created.</summary>
[GenerateSerializer, Immutable, Alias("alerts.target-created")]
public sealed record TargetWithSecret(
    [property: Id(0)] TargetView Target,
    [property: Id(1)] string? Secret);
