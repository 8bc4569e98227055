using Alerts.Contracts;
using Alerts.Grains.Policies;

namespace Alerts.Grains.State;

[GenerateSerializer, Alias("alerts.organization-state")]
public sealed class OrganizationState
{
    /// <summary>Null until the organization is created.</summary>
    [Id(0)] public OrganizationProfile? Profile { get; set; }
    [Id(1)] public DateTimeOffset CreatedAt { get; set; }
    [Id(2)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(3)] public Dictionary<string, UserProfile> Users { get; set; } = new(StringComparer.Ordinal);
    [Id(4)] public Dictionary<string, IntegrationProfile> Integrations { get; set; } = new(StringComparer.Ordinal);
    [Id(5)] public DirectionState Outgoing { get; set; } = new();
    [Id(6)] public DirectionState Incoming { get; set; } = new();

    /// <summary>Per integration, the highest error batch already counted: a batch re-sent after a crash counts once.</summary>
    [Id(7)] public Dictionary<string, long> CountedThrough { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Pending notifications and the most recent finished ones, oldest first.</summary>
    [Id(8)] public List<OutboxEntry> Outbox { get; set; } = [];

    /// <summary>The daily reminder that trims this organization's error log is registered.</summary>
    [Id(9)] public bool RetentionScheduled { get; set; }

    public DirectionState For(Direction direction) => direction == Direction.Outgoing ? Outgoing : Incoming;
}

/// <summary>One direction's threshold bookkeeping (SPEC §2).</summary>
[GenerateSerializer, Alias("alerts.direction-state")]
public sealed class DirectionState
{
    /// <summary>When the last notification for this direction was decided.</summary>
    [Id(0)] public DateTimeOffset? LastFailureAt { get; set; }
    [Id(1)] public ErrorWindow Window { get; set; } = new();
}
