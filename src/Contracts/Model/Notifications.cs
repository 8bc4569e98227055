namespace Alerts.Contracts;

[GenerateSerializer, Alias("alerts.notification-kind")]
public enum NotificationKind
{
    /// <summary>SPEC §2: a direction's error count reached its limit.</summary>
    ThresholdExceeded = 0,
    /// <summary>SPEC §3.3: the 15-minute digest of new, resolved and open errors (one per recipient per round).</summary>
    Digest = 1,
    /// <summary>SPEC §4: a connection went offline or came back.</summary>
    ConnectionChanged = 2,
    /// <summary>SPEC §5: a platform event, e-mailed to the primary contact and the event's subscribers.</summary>
    PlatformEvent = 3,
    /// <summary>Issue 10: a webhook subscription failed three times in a row (a warning to its owner).</summary>
    WebhookFailing = 4,
    /// <summary>SPEC §6.3: a webhook subscription was disabled after six failures in a row.</summary>
    WebhookDisabled = 5,
    /// <summary>Issue 10: a subscription enabled again delivered successfully.</summary>
    WebhookRecovered = 6,
    /// <summary>Issue 21: the platform events an organization published past its e-mail budget in a window, in one e-mail.</summary>
    PlatformEventSummary = 7,
    /// <summary>Issue 22: a test a user asked for, through the real pipeline to their own address.</summary>
    Test = 8,
}

[GenerateSerializer, Alias("alerts.notification-status")]
public enum NotificationStatus
{
    /// <summary>Decided and not yet delivered to every recipient; delivery is retried.</summary>
    Pending = 0,
    /// <summary>Accepted by the relay for every recipient still meant to get it.</summary>
    Sent = 1,
    /// <summary>Given up for some recipients: a permanent rejection, or retries ran out. <c>LastError</c> says why.</summary>
    Failed = 2,
    /// <summary>Decided with nobody subscribed to its event, so nothing was sent.</summary>
    NoRecipients = 3,
    /// <summary>Called off before it was sent, e.g. its direction was switched off (<c>CancelReason</c> says why).</summary>
    Cancelled = 4,
    /// <summary>For one recipient: no longer meant to get it (deleted, or unsubscribed while it was pending).</summary>
    Dropped = 5,
}

public static class NotificationWire
{
    public static string Wire(this NotificationKind kind) => kind switch
    {
        NotificationKind.ThresholdExceeded => "threshold_exceeded",
        NotificationKind.Digest => "digest",
        NotificationKind.ConnectionChanged => "connection_changed",
        NotificationKind.PlatformEvent => "platform_event",
        NotificationKind.WebhookFailing => "webhook_failing",
        NotificationKind.WebhookDisabled => "webhook_disabled",
        NotificationKind.WebhookRecovered => "webhook_recovered",
        NotificationKind.PlatformEventSummary => "platform_event_summary",
        NotificationKind.Test => "test",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Wire(this NotificationStatus status) => status switch
    {
        NotificationStatus.Pending => "pending",
        NotificationStatus.Sent => "sent",
        NotificationStatus.Failed => "failed",
        NotificationStatus.NoRecipients => "no_recipients",
        NotificationStatus.Cancelled => "cancelled",
        NotificationStatus.Dropped => "dropped",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParseKind(string? wire, out NotificationKind kind) => WireNames.TryParse(wire, Wire, out kind);

    public static bool TryParseStatus(string? wire, out NotificationStatus status) => WireNames.TryParse(wire, Wire, out status);
}

/// <summary>Wire names of enums, read back.</summary>
public static class WireNames
{
    /// <summary>The value whose wire name is <paramref name="wire"/>; false when none is.</summary>
    public static bool TryParse<T>(string? wire, Func<T, string> name, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (name(candidate) != wire) continue;
            value = candidate;
            return true;
        }
        value = default;
        return false;
    }
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
    [property: Id(10)] int ErrorCount,
    [property: Id(11)] int RecipientCount = 0,
    [property: Id(12)] int Delivered = 0,
    [property: Id(13)] string? CancelReason = null)
{
    /// <summary>Recipients listed in a view at most; <see cref="RecipientCount"/> has them all, the detail lists each.</summary>
    public const int RecipientsShown = 100;
}

/// <summary>One recipient of a notification and what became of it.</summary>
[GenerateSerializer, Immutable, Alias("alerts.recipient-view")]
public sealed record RecipientView(
    [property: Id(0)] string Address,
    [property: Id(1)] NotificationStatus Status,
    [property: Id(2)] int Attempts,
    [property: Id(3)] string? Reply,
    [property: Id(4)] DateTimeOffset? SentAt,
    [property: Id(5)] DateTimeOffset? UpdatedAt);

[GenerateSerializer, Immutable, Alias("alerts.notification-detail")]
public sealed record NotificationDetail(
    [property: Id(0)] NotificationView Notification,
    [property: Id(1)] IReadOnlyList<RecipientView> Recipients);

/// <summary>A page of the notification log, newest first; <see cref="Limit"/> 1–200, <see cref="Cursor"/> from the previous page.</summary>
[GenerateSerializer, Immutable, Alias("alerts.notification-query")]
public sealed record NotificationQuery(
    [property: Id(0)] int Limit = 50,
    [property: Id(1)] string? Cursor = null,
    [property: Id(2)] NotificationKind? Kind = null,
    [property: Id(3)] NotificationStatus? Status = null)
{
    public const int MaxLimit = 200;
}

[GenerateSerializer, Immutable, Alias("alerts.notification-page")]
public sealed record NotificationPage(
    [property: Id(0)] IReadOnlyList<NotificationView> Items,
    [property: Id(1)] string? Next);

/// <summary>
/// Where a page of the notification log ends: the last notification's sort key (newest first: inverted creation time,
/// then id), base64url-encoded. Opaque to callers; checked when it comes back.
/// </summary>
public static class NotificationCursor
{
    private const string Prefix = "n:";

    public static string Key(DateTimeOffset createdAt, string id) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Prefix}{DateTime.MaxValue.Ticks - createdAt.UtcTicks:D19}:{id}");

    public static string Encode(string key) => Base64Url(System.Text.Encoding.UTF8.GetBytes(key));

    /// <summary>Base64url without padding (RFC 4648 §5): cursors, key secrets.</summary>
    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The key a cursor stands for, or null when it is not one this log issued.</summary>
    public static string? Decode(string? cursor) =>
        DecodeText(cursor) is { } key && key.StartsWith(Prefix, StringComparison.Ordinal) && key.Length > Prefix.Length + 20 ? key : null;

    /// <summary>The text a base64url cursor holds; null when it is not base64url of at most 1,024 characters.</summary>
    public static string? DecodeText(string? cursor)
    {
        if (cursor is not { Length: > 0 and <= 1024 }) return null;
        var base64 = cursor.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - base64.Length % 4) % 4);
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var length) ? System.Text.Encoding.UTF8.GetString(bytes, 0, length) : null;
    }
}
