namespace Alerts.Contracts;

/// <summary>What a threshold evaluation came to (issue 22, "why was I (not) alerted?").</summary>
[GenerateSerializer, Alias("alerts.decision-outcome")]
public enum DecisionOutcome
{
    /// <summary>The count reached the limit: a notification was decided.</summary>
    Fired = 0,
    /// <summary>Over the limit or not, nothing could go: a notification went less than one interval ago.</summary>
    CoolingDown = 1,
    /// <summary>Fewer errors in the interval than the limit.</summary>
    BelowLimit = 2,
    /// <summary>The direction's limit is 0 (or a setting is missing): it sends nothing.</summary>
    Inactive = 3,
    /// <summary>The count reached the limit while a mute was in force: nothing was sent; its end looks again.</summary>
    Muted = 4,
}

public static class DecisionOutcomes
{
    public static string Wire(this DecisionOutcome outcome) => outcome switch
    {
        DecisionOutcome.Fired => "fired",
        DecisionOutcome.CoolingDown => "cooldown",
        DecisionOutcome.BelowLimit => "below_limit",
        DecisionOutcome.Inactive => "inactive",
        DecisionOutcome.Muted => "muted",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };
}

/// <summary>
/// One entry of a direction's decision log: evaluations in a row with the same outcome are one entry, from the first
/// (<see cref="From"/>) to the latest (<see cref="At"/>), with what the latest counted. A fired one names its notification.
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.decision-view")]
public sealed record DecisionView(
    [property: Id(0)] Direction Direction,
    [property: Id(1)] DateTimeOffset From,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] DecisionOutcome Outcome,
    [property: Id(4)] int Errors,
    [property: Id(5)] bool Exact,
    [property: Id(6)] int Limit,
    [property: Id(7)] FailureInterval? Interval,
    [property: Id(8)] DateTimeOffset? CooldownEndsAt,
    [property: Id(9)] int Evaluations,
    [property: Id(10)] string? NotificationId,
    [property: Id(11)] string Summary,
    [property: Id(12)] DecisionForUser? ForUser = null,
    [property: Id(13)] string? MuteId = null,
    [property: Id(14)] DateTimeOffset? MutedUntil = null);

/// <summary>What an entry meant for one user: whether they were notified, and why (not).</summary>
[GenerateSerializer, Immutable, Alias("alerts.decision-for-user")]
public sealed record DecisionForUser(
    [property: Id(0)] bool Notified,
    [property: Id(1)] string Reason);

/// <summary>Which entries: one direction or both, newest first; explained for a user when one is named.</summary>
[GenerateSerializer, Immutable, Alias("alerts.decision-query")]
public sealed record DecisionQuery(
    [property: Id(0)] Direction? Direction = null,
    [property: Id(1)] string? UserId = null,
    [property: Id(2)] int Limit = 50);
