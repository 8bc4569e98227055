using Alerts.Contracts;
using Alerts.Grains.State;

namespace Alerts.Grains.Notifications;

/// <summary>Hands decided notifications to the silo's delivery worker. Called by grains after the entry is durable.</summary>
public interface IOutboxDispatcher
{
    void Dispatch(OutboxDelivery delivery);
}

/// <summary>One delivery pass over an outbox entry: the recipients still unsent, and what to tell them.</summary>
[GenerateSerializer, Immutable, Alias("alerts.outbox-delivery")]
public sealed record OutboxDelivery(
    [property: Id(0)] string OrgId,
    [property: Id(1)] string EntryId,
    [property: Id(2)] NotificationKind Kind,
    [property: Id(3)] IReadOnlyList<string> Recipients,
    [property: Id(4)] DateTimeOffset NotBefore,
    [property: Id(5)] ThresholdAlert? Threshold);

[GenerateSerializer, Alias("alerts.recipient-outcome")]
public enum RecipientOutcome
{
    Delivered = 0,
    /// <summary>Worth retrying: connection failure, 4xx reply, timeout.</summary>
    TransientFailure = 1,
    /// <summary>Not worth retrying: the server rejected the recipient or the message (5xx).</summary>
    PermanentFailure = 2,
}

[GenerateSerializer, Immutable, Alias("alerts.recipient-result")]
public sealed record RecipientResult(
    [property: Id(0)] string Email,
    [property: Id(1)] RecipientOutcome Outcome,
    [property: Id(2)] string? Reply);

/// <summary>Where delivery results come back to: the grain that owns the outbox entry.</summary>
public interface IOutboxOwner : IGrainWithStringKey
{
    /// <summary>
    /// Called by a worker right before it sends: the entry as it stands (recipients still unsent), leased to
    /// <paramref name="worker"/> for a while, or null when it is finished or another worker holds the lease.
    /// </summary>
    Task<OutboxDelivery?> BeginPassAsync(string entryId, string worker);

    /// <summary>
    /// Records one pass's results. Returns the next pass (recipients still to retry, not before the back-off)
    /// or null when the entry is finished. The worker that made the pass schedules the next one itself.
    /// </summary>
    Task<OutboxDelivery?> RecordDeliveryAsync(string entryId, IReadOnlyList<RecipientResult> results);
}
