using Alerts.Contracts;

namespace Alerts.Grains.State;

/// <summary>
/// A notification decided and not yet forgotten: written to the organization's state before anything is sent,
/// so a crash can delay it but not lose it. <see cref="Id"/> is its idempotency key.
/// </summary>
[GenerateSerializer, Alias("alerts.outbox-entry")]
public sealed class OutboxEntry
{
    [Id(0)] public string Id { get; set; } = "";
    [Id(1)] public NotificationKind Kind { get; set; }
    [Id(2)] public Direction? Direction { get; set; }
    [Id(3)] public List<OutboxRecipient> Recipients { get; set; } = [];
    [Id(4)] public string Subject { get; set; } = "";
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }
    [Id(6)] public NotificationStatus Status { get; set; }
    [Id(7)] public int Attempts { get; set; }
    [Id(8)] public string? LastError { get; set; }
    [Id(9)] public DateTimeOffset? SentAt { get; set; }
    [Id(10)] public ThresholdAlert? Threshold { get; set; }

    /// <summary>Not before this time is the next delivery attempt made (back-off after a failure).</summary>
    [Id(11)] public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>The delivery worker now sending this entry, and until when it may; another waits until then.</summary>
    [Id(12)] public string? LeaseHolder { get; set; }
    [Id(13)] public DateTimeOffset? LeaseUntil { get; set; }

    public IEnumerable<OutboxRecipient> Unsent => Recipients.Where(r => r.Status == NotificationStatus.Pending);

    public NotificationView ToView() => new(
        Id, Kind, Direction, Recipients.Select(r => r.Email).ToList(), Subject, Status, CreatedAt, SentAt, Attempts, LastError,
        Threshold?.ErrorCount ?? 0);
}

/// <summary>Each recipient gets a message of their own, so one bad address cannot hold back or repeat the others.</summary>
[GenerateSerializer, Alias("alerts.outbox-recipient")]
public sealed class OutboxRecipient
{
    [Id(0)] public string Email { get; set; } = "";
    [Id(1)] public NotificationStatus Status { get; set; }
    [Id(2)] public DateTimeOffset? SentAt { get; set; }
    /// <summary>The SMTP server's last reply for this recipient.</summary>
    [Id(3)] public string? Reply { get; set; }
}

/// <summary>What a threshold e-mail says (SPEC §2.5), fixed at the moment of the decision.</summary>
[GenerateSerializer, Immutable, Alias("alerts.threshold-alert")]
public sealed record ThresholdAlert(
    [property: Id(0)] string OrgId,
    [property: Id(1)] string OrganizationName,
    [property: Id(2)] string Environment,
    [property: Id(3)] bool Production,
    [property: Id(4)] Direction Direction,
    [property: Id(5)] int ErrorCount,
    [property: Id(6)] bool CountIsExact,
    [property: Id(7)] FailureInterval Interval,
    [property: Id(8)] DateTimeOffset CountedAfter,
    [property: Id(9)] DateTimeOffset DecidedAt,
    [property: Id(10)] IReadOnlyList<FailingIntegration> TopIntegrations,
    [property: Id(11)] DateTimeOffset ExportSince)
{
    /// <summary>How far back the CSV goes when a direction never notified before (SPEC §2.5).</summary>
    public static readonly TimeSpan FirstExportSpan = TimeSpan.FromDays(30);
}

[GenerateSerializer, Immutable, Alias("alerts.failing-integration")]
public sealed record FailingIntegration(
    [property: Id(0)] string IntegrationId,
    [property: Id(1)] string Name,
    [property: Id(2)] IntegrationType Type,
    [property: Id(3)] int Errors);
