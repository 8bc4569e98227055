using Alerts.Contracts;

namespace Alerts.Grains.Thresholds;

/// <summary>
/// A direction's decision log (issue 22, "why was I (not) alerted?"), pure: every evaluation of the threshold policy is
/// noted (but not one that counted no error), and evaluations in a row with the same outcome, limit, interval and cooldown are one entry, so a flood of
/// reports below the limit is one line that keeps its latest count. Bounded to <see cref="MaxEntries"/> entries and
/// <see cref="Keep"/>; kept in the organization's snapshot with the direction's other bookkeeping.
/// </summary>
public static class DecisionLog
{
    public const int MaxEntries = 100;
    public static readonly TimeSpan Keep = TimeSpan.FromDays(7);

    /// <summary>Notes a decision to notify that a mute held back.</summary>
    public static void RecordMuted(List<DecisionRecord> log, ThresholdDecision decision, DirectionSettings settings, string muteId, DateTimeOffset until, DateTimeOffset now) =>
        Record(log, decision, settings, null, now, (muteId, until));

    public static void Record(
        List<DecisionRecord> log, ThresholdDecision decision, DirectionSettings settings, string? notificationId, DateTimeOffset now,
        (string Id, DateTimeOffset Until)? mute = null)
    {
        var outcome = mute is not null ? DecisionOutcome.Muted : decision.Outcome switch
        {
            ThresholdOutcome.Notify => DecisionOutcome.Fired,
            ThresholdOutcome.CoolingDown => DecisionOutcome.CoolingDown,
            ThresholdOutcome.BelowLimit => DecisionOutcome.BelowLimit,
            _ => DecisionOutcome.Inactive,
        };
        // An evaluation that counted nothing (at activation, at a cooldown's end with no errors since) explains nothing.
        if (outcome is DecisionOutcome.BelowLimit or DecisionOutcome.CoolingDown && decision.Errors.Count == 0) return;
        var limit = settings.FailureLimit ?? 0;
        var interval = settings.FailureInterval;
        if (log.Count > 0 && log[^1] is { } last && outcome != DecisionOutcome.Fired && last.Outcome == outcome
            && last.Limit == limit && last.Interval == interval && last.CooldownEndsAt == decision.CooldownEndsAt
            && last.MuteId == mute?.Id && last.MutedUntil == mute?.Until)
        {
            last.At = now;
            last.Errors = decision.Errors.Count;
            last.Exact = decision.Errors.Exact;
            last.Evaluations++;
            return;
        }
        log.Add(new DecisionRecord
        {
            From = now, At = now, Outcome = outcome, Errors = decision.Errors.Count, Exact = decision.Errors.Exact, Limit = limit,
            Interval = interval, CooldownEndsAt = decision.CooldownEndsAt, Evaluations = 1, NotificationId = notificationId,
            MuteId = mute?.Id, MutedUntil = mute?.Until,
        });
        var tooOld = now - Keep;
        var drop = 0;
        while (drop < log.Count && (log.Count - drop > MaxEntries || log[drop].At < tooOld)) drop++;
        if (drop > 0) log.RemoveRange(0, drop);
    }

    /// <summary>What an entry says to anyone: the outcome with its numbers.</summary>
    public static string Summary(DecisionRecord record)
    {
        var within = record.Interval is { } interval ? $" within {interval.Wire()}" : "";
        var count = record.Exact ? record.Errors.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"at least {record.Errors}";
        return record.Outcome switch
        {
            DecisionOutcome.Fired => $"Alert sent: {count} errors{within} reached the limit of {record.Limit}.",
            DecisionOutcome.CoolingDown =>
                $"Held by the cooldown until {Time(record.CooldownEndsAt)}: an alert went less than one interval ago ({count} errors since it).",
            DecisionOutcome.BelowLimit => $"Below the limit: {count} of {record.Limit} errors{within}.",
            DecisionOutcome.Muted =>
                $"Muted until {Time(record.MutedUntil)} ({record.MuteId}): {count} errors{within} reached the limit of {record.Limit}; told when the mute ends if still over it.",
            _ => "Off: the limit is 0 (or not set), so this direction sends no alerts.",
        };
    }

    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : "—";

    public static DecisionView View(Direction direction, DecisionRecord record, DecisionForUser? forUser = null) => new(
        direction, record.From, record.At, record.Outcome, record.Errors, record.Exact, record.Limit, record.Interval, record.CooldownEndsAt,
        record.Evaluations, record.NotificationId, Summary(record), forUser, record.MuteId, record.MutedUntil);
}

/// <summary>One entry of <see cref="DecisionLog"/> (~120 bytes stored).</summary>
[GenerateSerializer, Alias("alerts.decision-record")]
public sealed class DecisionRecord
{
    [Id(0)] public DateTimeOffset From { get; set; }
    [Id(1)] public DateTimeOffset At { get; set; }
    [Id(2)] public DecisionOutcome Outcome { get; set; }
    [Id(3)] public int Errors { get; set; }
    [Id(4)] public bool Exact { get; set; }
    [Id(5)] public int Limit { get; set; }
    [Id(6)] public FailureInterval? Interval { get; set; }
    [Id(7)] public DateTimeOffset? CooldownEndsAt { get; set; }
    [Id(8)] public int Evaluations { get; set; }
    [Id(9)] public string? NotificationId { get; set; }
    [Id(10)] public string? MuteId { get; set; }
    [Id(11)] public DateTimeOffset? MutedUntil { get; set; }
}
