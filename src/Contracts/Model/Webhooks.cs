namespace Alerts.Contracts;

/// <summary>What publishing an event did.</summary>
[GenerateSerializer, Immutable, Alias("alerts.publish-result")]
public sealed record PublishResult(
    [property: Id(0)] string EventId,
    [property: Id(1)] string MessageId,
    [property: Id(2)] IReadOnlyList<string> Webhooks,
    [property: Id(3)] int EmailRecipients,
    [property: Id(4)] bool EmailHeldForSummary = false);

/// <summary>SPEC §5 per event type: whether the organization's <c>webhook_url</c> gets it, and who else is e-mailed.</summary>
[GenerateSerializer, Immutable, Alias("alerts.platform-event-settings")]
public sealed record PlatformEventSettings(
    [property: Id(0)] bool SendWebhook,
    [property: Id(1)] IReadOnlyList<string> Emails);

/// <summary>The organization's §5 settings: its webhook URL (backed by a subscription) and per event type.</summary>
[GenerateSerializer, Immutable, Alias("alerts.notification-settings")]
public sealed record NotificationSettings(
    [property: Id(0)] string? WebhookUrl,
    [property: Id(1)] IReadOnlyDictionary<string, PlatformEventSettings> Events)
{
    public static readonly NotificationSettings Empty = new(null, new Dictionary<string, PlatformEventSettings>());

    public PlatformEventSettings For(string eventType) =>
        Events.TryGetValue(eventType, out var settings) ? settings : new PlatformEventSettings(false, []);
}

/// <summary>
/// The settings as read back, with the id of the subscription behind the webhook URL and, only when that subscription was
/// created by this change, its secret.
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.notification-settings-view")]
public sealed record NotificationSettingsView(
    [property: Id(0)] NotificationSettings Settings,
    [property: Id(1)] string? WebhookId,
    [property: Id(2)] string? WebhookSecret);

/// <summary>
/// What a platform registers (SPEC §6): where to, which events, for which product, owned by which user; and whether new
/// events are kept while it is disabled, to be delivered when it is enabled again (otherwise they are not taken, §6.4).
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.webhook-spec")]
public sealed record WebhookSpec(
    [property: Id(0)] string Url,
    [property: Id(1)] IReadOnlyList<string> Events,
    [property: Id(2)] string? Product,
    [property: Id(3)] string? OwnerUserId,
    [property: Id(4)] bool KeepWhileDisabled = false);

/// <summary>A change to a subscription: null leaves a field as it is. A new URL enables it again (SPEC §6.5).</summary>
[GenerateSerializer, Immutable, Alias("alerts.webhook-patch")]
public sealed record WebhookPatch(
    [property: Id(0)] string? Url = null,
    [property: Id(1)] IReadOnlyList<string>? Events = null,
    [property: Id(2)] string? Product = null,
    [property: Id(3)] string? OwnerUserId = null,
    [property: Id(4)] bool? KeepWhileDisabled = null);

/// <summary>A subscription as read back (never with its secret, which is shown when created or rotated).</summary>
[GenerateSerializer, Immutable, Alias("alerts.webhook-view")]
public sealed record WebhookView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Url,
    [property: Id(2)] IReadOnlyList<string> Events,
    [property: Id(3)] string? Product,
    [property: Id(4)] string? OwnerUserId,
    [property: Id(5)] bool Enabled,
    [property: Id(6)] int ConsecutiveFailures,
    [property: Id(7)] string? DisabledReason,
    [property: Id(8)] DateTimeOffset? DisabledAt,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] DateTimeOffset UpdatedAt,
    [property: Id(11)] int PendingDeliveries,
    [property: Id(12)] bool PlatformEvents,
    [property: Id(13)] DateTimeOffset? LastAttemptAt,
    [property: Id(14)] string? LastError,
    [property: Id(15)] bool KeepWhileDisabled = false,
    [property: Id(16)] int Held = 0,
    [property: Id(17)] int DroppedWhileDisabled = 0);

/// <summary>A subscription with its secret: only when it is created or its secret rotated.</summary>
[GenerateSerializer, Immutable, Alias("alerts.webhook-created")]
public sealed record WebhookWithSecret(
    [property: Id(0)] WebhookView Webhook,
    [property: Id(1)] string Secret);

[GenerateSerializer, Alias("alerts.delivery-outcome")]
public enum DeliveryOutcome
{
    /// <summary>A 2xx.</summary>
    Delivered = 0,
    /// <summary>Anything else; tried again later.</summary>
    Failed = 1,
    /// <summary>Failed, and its 3 days of retries are over.</summary>
    Exhausted = 2,
    /// <summary>Never attempted again: the subscription was deleted, or its queue overflowed.</summary>
    Dropped = 3,
}

/// <summary>One attempt of one message (SPEC §6, issue 10 item 7), as the delivery log keeps it.</summary>
[GenerateSerializer, Immutable, Alias("alerts.delivery-attempt")]
public sealed record DeliveryAttempt(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string EventType,
    [property: Id(2)] int Attempt,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] DeliveryOutcome Outcome,
    [property: Id(5)] int? StatusCode,
    [property: Id(6)] int DurationMs,
    [property: Id(7)] string? Error,
    [property: Id(8)] string? ResponseBody,
    [property: Id(9)] DateTimeOffset? NextAttemptAt);

/// <summary>
/// A subscription's last <see cref="WindowHours"/> hours: attempts made, how many delivered, the share delivered, latency
/// percentiles in ms (null without attempts), its last delivery ever read, and whether the log was read only in part.
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.webhook-health")]
public sealed record WebhookHealthView(
    [property: Id(0)] int WindowHours,
    [property: Id(1)] int Attempts,
    [property: Id(2)] int Delivered,
    [property: Id(3)] double? SuccessRate,
    [property: Id(4)] int? P50Ms,
    [property: Id(5)] int? P99Ms,
    [property: Id(6)] DateTimeOffset? LastSuccessAt,
    [property: Id(7)] bool Partial);

/// <summary>
/// What a recovery did: messages queued again, and those it found but had no room for (recover again once these are
/// sent). <see cref="Disabled"/>: refused, the subscription is disabled (enable it first).
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.recovery-result")]
public sealed record RecoveryResult(
    [property: Id(0)] int Queued,
    [property: Id(1)] int Left,
    [property: Id(2)] bool Disabled)
{
    public static readonly RecoveryResult WhileDisabled = new(0, 0, true);
}

[GenerateSerializer, Immutable, Alias("alerts.delivery-page")]
public sealed record DeliveryPage(
    [property: Id(0)] IReadOnlyList<DeliveryAttempt> Items,
    [property: Id(1)] string? Next);

/// <summary>
/// An in-app notification (issue 10 item 6): the badge of the admin UI. <see cref="About"/> names what it is about (a
/// webhook): a newer notification about the same thing marks the older unread ones read, so the badge counts problems,
/// not steps of one problem (a warning, then the disable).
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.inbox-item")]
public sealed record InboxItem(
    [property: Id(0)] string Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Title,
    [property: Id(3)] string Body,
    [property: Id(4)] string? Link,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset? ReadAt,
    [property: Id(7)] string? About = null);

[GenerateSerializer, Immutable, Alias("alerts.inbox-page")]
public sealed record InboxPage(
    [property: Id(0)] IReadOnlyList<InboxItem> Items,
    [property: Id(1)] int UnreadCount);

public static class DeliveryWire
{
    public static string Wire(this DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Delivered => "delivered",
        DeliveryOutcome.Failed => "failed",
        DeliveryOutcome.Exhausted => "exhausted",
        DeliveryOutcome.Dropped => "dropped",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };
}
