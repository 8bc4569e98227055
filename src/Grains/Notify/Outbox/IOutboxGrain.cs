using Alerts.Contracts;

namespace Alerts.Grains.Notify;

/// <summary>
/// An organization's outbox (key: the org id): owns its pending notifications, the leases of the workers sending them
/// and their results. The organization decides and hands over; delivery workers take passes.
/// </summary>
public interface IOutboxGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds a decided notification for these recipients; durable when it returns. An id seen before is ignored. A
    /// <see cref="OutboxEntry.Held"/> entry is listed but not sent until <see cref="ReleaseAsync"/>. An entry marked
    /// <see cref="OutboxEntry.Personal"/> tells each recipient their own payload, which the caller stored beforehand
    /// (<see cref="INotificationHistory.SavePersonalAsync"/>).
    /// </summary>
    Task EnqueueAsync(OutboxEntry entry, IReadOnlyList<string> recipients);

    /// <summary>What one recipient of a <see cref="OutboxEntry.Personal"/> entry is told (null: the entry's own payload).</summary>
    [ReadOnly]
    Task<NotificationPayload?> PersonalPayloadAsync(string entryId, string address);

    /// <summary>Lets a held entry be sent. Nothing happens for an entry that is not pending.</summary>
    Task ReleaseAsync(string entryId);

    /// <summary>
    /// Leases the entry to <paramref name="worker"/> for a new pass and returns the recipients still pending, as stored
    /// now; null when it is finished, not due, or another live worker holds it.
    /// </summary>
    Task<OutboxPass?> BeginPassAsync(string entryId, string worker);

    /// <summary>Keeps the pass's lease while it waits (for the relay, say). False: the lease is no longer this pass's.</summary>
    Task<bool> RenewAsync(string entryId, string passId);

    /// <summary>Asked right before each message: renews the lease and says whether to send to this recipient.</summary>
    Task<ClaimResult> ClaimAsync(string entryId, string passId, string address);

    /// <summary>Records one recipient's result; false (nothing recorded) when the pass no longer holds the lease.</summary>
    Task<bool> RecordAsync(string entryId, string passId, RecipientResult result);

    /// <summary>
    /// Ends the pass: finishes the entry, or schedules the next pass (at once when <paramref name="interrupted"/>, after the
    /// back-off otherwise) and returns it for the same worker.
    /// </summary>
    Task<OutboxDelivery?> EndPassAsync(string entryId, string passId, bool interrupted);

    /// <summary>Calls off pending notifications of a kind (and direction), e.g. when a direction is switched off.</summary>
    Task CancelAsync(NotificationKind kind, Direction? direction, string reason);

    /// <summary>A recipient no longer subscribed to <paramref name="audience"/> is left out of its pending notifications.</summary>
    Task DropRecipientAsync(string audience, string address, string reason);
}

/// <summary>Hands pending notifications to the silo's delivery worker.</summary>
public interface IOutboxDispatcher
{
    void Dispatch(OutboxDelivery delivery);
}

/// <summary>
/// A hand-over: work on this entry, not before this time. Its kind and creation time place it in the fair line for the
/// silo's passes and the relay (<see cref="RelayPriority"/>; oldest first within an organization).
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.outbox-delivery.v2")]
public sealed record OutboxDelivery(
    [property: Id(0)] string OrgId,
    [property: Id(1)] string EntryId,
    [property: Id(2)] DateTimeOffset NotBefore,
    [property: Id(3)] NotificationKind Kind = NotificationKind.ThresholdExceeded,
    [property: Id(4)] DateTimeOffset CreatedAt = default)
{
    public int Priority => RelayPriority.Of(Kind);
}

/// <summary>One leased pass: what to say and to whom (the recipients pending when it began), and the trace it continues.</summary>
[GenerateSerializer, Immutable, Alias("alerts.outbox-pass")]
public sealed record OutboxPass(
    [property: Id(0)] string OrgId,
    [property: Id(1)] string EntryId,
    [property: Id(2)] string PassId,
    [property: Id(3)] NotificationPayload Payload,
    [property: Id(4)] IReadOnlyList<string> Recipients,
    [property: Id(5)] bool Personal = false,
    [property: Id(6)] string? TraceParent = null);

[GenerateSerializer, Alias("alerts.claim-result")]
public enum ClaimResult
{
    /// <summary>Send to this recipient now.</summary>
    Send = 0,
    /// <summary>Not any more: the recipient was dropped or already has a result, or the notification was called off.</summary>
    Skip = 1,
    /// <summary>The pass lost its lease: stop, send nothing more.</summary>
    LeaseLost = 2,
}

[GenerateSerializer, Alias("alerts.recipient-outcome")]
public enum RecipientOutcome
{
    Delivered = 0,
    /// <summary>Worth retrying: connection failure, 4xx reply, timeout, a relay refusing the sender or the session.</summary>
    TransientFailure = 1,
    /// <summary>Not worth retrying: the relay refused this recipient or this message for good (5xx).</summary>
    PermanentFailure = 2,
}

[GenerateSerializer, Immutable, Alias("alerts.recipient-result")]
public sealed record RecipientResult(
    [property: Id(0)] string Address,
    [property: Id(1)] RecipientOutcome Outcome,
    [property: Id(2)] string? Reply);

/// <summary>The cluster-wide relay limit (key: the relay's name): every silo's messages take their turns here.</summary>
public interface IRelayLimiter : IGrainWithStringKey
{
    /// <summary>
    /// Asks for the next slot for one message: granted (send at the time given, not before) or not yet (ask again at the
    /// time given). A pass asks with the same waiter id until granted.
    /// </summary>
    Task<RelayTurn> TakeTurnAsync(RelayTicket ticket);
}
