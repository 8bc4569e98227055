using Alerts.Contracts;

namespace Alerts.Grains.Notify;

/// <summary>
/// A pending notification in its outbox: the payload fixed at decision time, its delivery bookkeeping and the lease of
/// the worker now sending it. Recipients and their results are rows of the notification log, not part of this, so an
/// entry's size does not grow with its audience; it leaves the outbox once finished.
/// </summary>
[GenerateSerializer, Alias("alerts.outbox-entry.v2")]
public sealed class OutboxEntry
{
    /// <summary>The idempotency key within the organization (kind, direction, decision time for thresholds).</summary>
    [Id(0)] public string Id { get; set; } = "";
    [Id(1)] public NotificationPayload Payload { get; set; } = null!;
    [Id(2)] public string Subject { get; set; } = "";
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Delivery passes ended so far (a pass cut short by a shutdown does not count).</summary>
    [Id(4)] public int Attempts { get; set; }

    /// <summary>Not before this time is the next pass made (back-off after a failure).</summary>
    [Id(5)] public DateTimeOffset? NextAttemptAt { get; set; }

    [Id(6)] public string? LastError { get; set; }
    [Id(7)] public OutboxLease? Lease { get; set; }
    [Id(8)] public int RecipientCount { get; set; }

    /// <summary>Set when the notification was called off; the pass in progress stops at its next message.</summary>
    [Id(10)] public string? CancelReason { get; set; }

    /// <summary>Not sent before its organization releases it (once the errors its CSV reads are logged).</summary>
    [Id(11)] public bool Held { get; set; }

    /// <summary>Each recipient has a payload of their own (a digest), stored in the notification log beside their row.</summary>
    [Id(12)] public bool Personal { get; set; }

    /// <summary>The W3C <c>traceparent</c> of the span that decided it (null when untraced): its delivery continues that trace.</summary>
    [Id(13)] public string? TraceParent { get; set; }

    /// <summary>The log's row: the first recipients (by address) listed, all of them counted.</summary>
    public NotificationView ToView(NotificationStatus status, IEnumerable<string> recipients, int delivered, DateTimeOffset? sentAt) => new(
        Id, Payload.Kind, Payload.Direction,
        recipients.Order(StringComparer.OrdinalIgnoreCase).Take(NotificationView.RecipientsShown).ToList(), Subject, status, CreatedAt, sentAt,
        Attempts, LastError, Payload.ErrorCount, RecipientCount, delivered, CancelReason);
}

/// <summary>
/// The worker sending an entry now. It holds the entry while its silo is in the cluster and it renews the lease at
/// least every <see cref="OutboxOptions.PassLease"/>: a pass waiting its turn at the relay keeps it.
/// </summary>
[GenerateSerializer, Alias("alerts.outbox-lease")]
public sealed class OutboxLease
{
    /// <summary>The worker's silo address.</summary>
    [Id(0)] public string Holder { get; set; } = "";

    /// <summary>Results are taken only from the pass holding the lease.</summary>
    [Id(1)] public string PassId { get; set; } = "";

    [Id(2)] public DateTimeOffset RenewedAt { get; set; }
}

[GenerateSerializer, Alias("alerts.outbox-state")]
public sealed class OutboxState
{
    /// <summary>Pending entries, oldest first; at most <see cref="OutboxOptions.MaxPending"/>.</summary>
    [Id(0)] public List<OutboxEntry> Pending { get; set; } = [];

    /// <summary>Ids of the latest finished entries, so a decision handed over twice is not sent twice.</summary>
    [Id(1)] public List<string> RecentlyFinished { get; set; } = [];
}
