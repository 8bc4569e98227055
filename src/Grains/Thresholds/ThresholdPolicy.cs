using Alerts.Contracts;

namespace Alerts.Grains.Thresholds;

/// <summary>
/// SPEC §2.2–§2.3 as a pure function: given a direction's settings, when it last notified, its errors
/// and the time, should a threshold notification go out now?
/// </summary>
public static class ThresholdPolicy
{
    public const int TopIntegrations = 5;

    public static ThresholdDecision Evaluate(
        DirectionSettings settings, DateTimeOffset? lastFailureAt, ErrorWindow window, DateTimeOffset now)
    {
        if (!settings.IsActive) return ThresholdDecision.Inactive;

        var interval = settings.FailureInterval!.Value.Length();
        if (lastFailureAt is { } last && now < last + interval)
            return ThresholdDecision.CoolingDown(last + interval, window.CountAfter(last));

        var cutoff = now - interval;
        if (lastFailureAt is { } previous && previous > cutoff) cutoff = previous;

        var count = window.CountAfter(cutoff);
        if (count.Count < settings.FailureLimit!.Value) return ThresholdDecision.BelowLimit(count);

        return ThresholdDecision.Notify(count, cutoff, window.TopIntegrationsAfter(cutoff, TopIntegrations));
    }

    /// <summary>
    /// The moment at or before which nothing can count for this direction any more, with its current interval:
    /// errors at or before it are forgotten (so a window never holds more than one interval).
    /// </summary>
    public static DateTimeOffset ForgetBoundary(DateTimeOffset? lastFailureAt, DateTimeOffset now, FailureInterval interval)
    {
        var oldestThatCanCount = now - interval.Length();
        return lastFailureAt is { } last && last > oldestThatCanCount ? last : oldestThatCanCount;
    }
}

public enum ThresholdOutcome
{
    /// <summary>Limit 0 or a setting missing: the direction sends nothing.</summary>
    Inactive,
    /// <summary>A notification went out less than one interval ago.</summary>
    CoolingDown,
    BelowLimit,
    Notify,
}

public sealed record ThresholdDecision(
    ThresholdOutcome Outcome,
    ErrorCount Errors,
    DateTimeOffset? CooldownEndsAt,
    DateTimeOffset? CountedAfter,
    IReadOnlyList<(string IntegrationId, int Errors)> TopIntegrations)
{
    public static readonly ThresholdDecision Inactive = new(ThresholdOutcome.Inactive, default, null, null, []);

    /// <summary>Cooling down until <paramref name="until"/>, with the errors counted since the last notification (for the decision log).</summary>
    public static ThresholdDecision CoolingDown(DateTimeOffset until, ErrorCount since = default) => new(ThresholdOutcome.CoolingDown, since, until, null, []);

    public static ThresholdDecision BelowLimit(ErrorCount count) => new(ThresholdOutcome.BelowLimit, count, null, null, []);

    public static ThresholdDecision Notify(ErrorCount count, DateTimeOffset countedAfter, IReadOnlyList<(string, int)> top) =>
        new(ThresholdOutcome.Notify, count, null, countedAfter, top);
}
