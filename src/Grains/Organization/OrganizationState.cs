using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Grains.Stores;
using Alerts.Grains.Intake;
using Alerts.Grains.Thresholds;

namespace Alerts.Grains.Organization;

/// <summary>
/// The organization's snapshot: with the journal's commits after <see cref="JournalPosition"/> it is the whole state.
/// Its size does not grow with traffic or time: settings, two bounded error windows (only for active directions),
/// positions, the decisions not yet handed to the outbox, and the dashboard's daily counts per type. Users and integrations are rows of the directory;
/// event ids are remembered in memory and rebuilt from the journal; notifications are the outbox's.
/// </summary>
[GenerateSerializer, Alias("alerts.organization-state")]
public sealed class OrganizationState
{
    /// <summary>Null until the organization is created.</summary>
    [Id(0)] public OrganizationProfile? Profile { get; set; }
    [Id(1)] public DateTimeOffset CreatedAt { get; set; }
    [Id(2)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(5)] public DirectionState Outgoing { get; set; } = new();
    [Id(6)] public DirectionState Incoming { get; set; } = new();

    /// <summary>
    /// Decisions written with this snapshot and not yet released by the outbox (held there until the errors behind them
    /// are logged). Usually empty; at most <see cref="MaxHandOvers"/> (further decisions wait until these are taken).
    /// </summary>
    [Id(12)] public List<OutboxEntry> HandOvers { get; set; } = [];

    public const int MaxHandOvers = 16;

    /// <summary>The daily reminder that trims this organization's error log is registered.</summary>
    [Id(9)] public bool RetentionScheduled { get; set; }

    /// <summary>The last journal commit applied to this snapshot.</summary>
    [Id(10)] public long JournalPosition { get; set; }

    /// <summary>The last journal commit whose details reached the error log and the integration grains.</summary>
    [Id(11)] public long ProjectedThrough { get; set; }

    /// <summary>The last digest round in which anyone was told something (SPEC §3.3); null before the first.</summary>
    [Id(13)] public DateTimeOffset? LastDigestAt { get; set; }

    /// <summary>A round decided and written but not yet handed to the outbox: handed over again after a crash.</summary>
    [Id(14)] public DigestRound? PendingDigest { get; set; }

    /// <summary>The digest reminder is registered (somebody follows flows).</summary>
    [Id(15)] public bool DigestScheduled { get; set; }

    /// <summary>
    /// The dashboard's counts per type and day, as of <see cref="JournalPosition"/>; null for an organization from before
    /// they were kept, until its next activation builds them. Bounded (see <see cref="Dashboard.ActivityRollup"/>).
    /// </summary>
    [Id(16)] public Dashboard.ActivityRollup? Activity { get; set; }

    /// <summary>Mute windows: at most <see cref="QuotaOptions.Mutes"/> not yet over and the latest 20 that are (issue 22).</summary>
    [Id(17)] public List<Mutes.MuteRecord> Mutes { get; set; } = [];

    /// <summary>
    /// Whether the organization has any delivery target (issue 22), as its targets grain last said: without one, a
    /// notification's recipients are decided without asking that grain (one cross-grain call less per decision, and one
    /// grain less that must be reachable for an alert to be handed over).
    /// </summary>
    [Id(18)] public bool HasTargets { get; set; }

    public DirectionState For(Direction direction) => direction == Direction.Outgoing ? Outgoing : Incoming;
}

/// <summary>A digest round: what changed after <see cref="Previous"/> up to <see cref="At"/>.</summary>
[GenerateSerializer, Immutable, Alias("alerts.digest-round")]
public sealed record DigestRound(
    [property: Id(0)] DateTimeOffset? Previous,
    [property: Id(1)] DateTimeOffset At);

/// <summary>One direction's threshold bookkeeping (SPEC §2).</summary>
[GenerateSerializer, Alias("alerts.direction-state")]
public sealed class DirectionState
{
    /// <summary>When the last notification for this direction was decided.</summary>
    [Id(0)] public DateTimeOffset? LastFailureAt { get; set; }

    /// <summary>The errors that may still count; null while the direction is inactive (nothing is kept then).</summary>
    [Id(2)] public ErrorWindow? Window { get; set; }

    /// <summary>The direction's decision log: at most <see cref="DecisionLog.MaxEntries"/> entries of the last <see cref="DecisionLog.Keep"/>.</summary>
    [Id(3)] public List<DecisionRecord> Decisions { get; set; } = [];
}
