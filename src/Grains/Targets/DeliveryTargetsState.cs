using Alerts.Contracts;
using Alerts.Grains.Webhooks;

namespace Alerts.Grains.Targets;

/// <summary>
/// An organization's delivery targets. Bounded by <see cref="QuotaOptions.Targets"/> (≤ 100) targets of ≤ ~2.6 KiB each
/// (a URL ≤ 2,048 characters, a name ≤ 200, three events) and the owner notices not yet handed over (one per target at
/// most: a target is disabled once until enabled again): ≤ ~270 KiB.
/// </summary>
[GenerateSerializer, Alias("alerts.delivery-targets-state")]
public sealed class DeliveryTargetsState
{
    [Id(0)] public List<StoredTarget> Targets { get; set; } = [];

    /// <summary>"Disabled" notices decided and not yet handed to the outbox.</summary>
    [Id(1)] public List<TargetNotice> Notices { get; set; } = [];

    /// <summary>How many notices were ever decided: each notice's id is unique.</summary>
    [Id(2)] public int NoticesDecided { get; set; }
}

[GenerateSerializer, Alias("alerts.stored-target")]
public sealed class StoredTarget
{
    [Id(0)] public string Id { get; set; } = "";
    [Id(1)] public TargetType Type { get; set; }
    [Id(2)] public string Url { get; set; } = "";
    [Id(3)] public string? Secret { get; set; }
    [Id(4)] public string Name { get; set; } = "";
    /// <summary>The user it belongs to; null for the organization's shared target.</summary>
    [Id(5)] public string? UserId { get; set; }
    /// <summary>A shared target's events (<see cref="TargetRules.SharedEvents"/>); a user's follows the user.</summary>
    [Id(6)] public List<string> Events { get; set; } = [];
    [Id(7)] public BreakerRecord Breaker { get; set; } = new();
    [Id(8)] public DateTimeOffset CreatedAt { get; set; }
    [Id(9)] public DateTimeOffset? LastDeliveredAt { get; set; }
    [Id(10)] public string? LastError { get; set; }

    public string RecipientKey => new Notify.Recipient(Type.Wire(), Id).Key;

    public TargetView ToView() => new(Id, Type, Name, TargetRules.Masked(Url), UserId, Events, Breaker.Enabled, Breaker.ConsecutiveFailures,
        Breaker.DisabledReason, Breaker.DisabledAt, CreatedAt, LastDeliveredAt, LastError);
}

/// <summary><see cref="BreakerState"/> as stored.</summary>
[GenerateSerializer, Alias("alerts.target-breaker")]
public sealed class BreakerRecord
{
    [Id(0)] public bool Enabled { get; set; } = true;
    [Id(1)] public int ConsecutiveFailures { get; set; }
    [Id(2)] public string? DisabledReason { get; set; }
    [Id(3)] public DateTimeOffset? DisabledAt { get; set; }
    [Id(4)] public bool Warned { get; set; }
    [Id(5)] public bool ReEnabled { get; set; }

    public BreakerState ToState() => new(Enabled, ConsecutiveFailures, DisabledReason, DisabledAt, Warned, ReEnabled);

    public static BreakerRecord Of(BreakerState state) => new()
    {
        Enabled = state.Enabled, ConsecutiveFailures = state.ConsecutiveFailures, DisabledReason = state.DisabledReason,
        DisabledAt = state.DisabledAt, Warned = state.Warned, ReEnabled = state.ReEnabled,
    };
}

/// <summary>A target's owner is to be told it was disabled.</summary>
[GenerateSerializer, Immutable, Alias("alerts.target-notice")]
public sealed record TargetNotice(
    [property: Id(0)] string Id,
    [property: Id(1)] string TargetId,
    [property: Id(2)] DateTimeOffset At);
