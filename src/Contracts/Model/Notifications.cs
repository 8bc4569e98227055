namespace Alerts.Contracts;

[GenerateSerializer, Alias("alerts.notification-kind")]
public enum NotificationKind
{
    /// <summary>SPEC §2: a direction's error count reached its limit.</summary>
    ThresholdExceeded = 0,
}

[GenerateSerializer, Alias("alerts.notification-status")]
public enum NotificationStatus
{
    /// <summary>Decided and not yet delivered to every recipient; delivery is retried.</summary>
    Pending = 0,
    /// <summary>Accepted by the SMTP server for every recipient.</summary>
    Sent = 1,
    /// <summary>Given up: a permanent rejection, or retries ran out. <c>LastError</c> says why.</summary>
    Failed = 2,
    /// <summary>The threshold fired but no user was subscribed to its event, so nothing was sent.</summary>
    NoRecipients = 3,
}

/// <summary>A notification as the organization's log shows it: what was sent or is waiting to be.</summary>
[GenerateSerializer, Immutable, Alias("alerts.notification-view")]
public sealed record NotificationView(
    [property: Id(0)] string Id,
    [property: Id(1)] NotificationKind Kind,
    [property: Id(2)] Direction? Direction,
    [property: Id(3)] IReadOnlyList<string> Recipients,
    [property: Id(4)] string Subject,
    [property: Id(5)] NotificationStatus Status,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset? SentAt,
    [property: Id(8)] int Attempts,
    [property: Id(9)] string? LastError,
    [property: Id(10)] int ErrorCount);
