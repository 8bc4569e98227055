using Alerts.Contracts;

namespace Alerts.Grains.Mutes;

/// <summary>
/// When a mute is in force (issue 22, item 2), pure: one window from <c>starts_at</c> to <c>ends_at</c>, or a weekly
/// window in a named time zone bounded by them; ended early at <c>ended_at</c>. Local times that do not exist (the hour
/// skipped when clocks go forward) start an hour later; ambiguous ones (the hour repeated) are read as standard time.
/// </summary>
public static class MuteSchedule
{
    /// <summary>The occurrence in force at <paramref name="now"/>, clipped to the mute's bounds; null when none is.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End)? Current(MuteSpec spec, DateTimeOffset? endedAt, DateTimeOffset now)
    {
        foreach (var (start, end) in Occurrences(spec, endedAt, now - TimeSpan.FromDays(2), now + TimeSpan.FromDays(1)))
        {
            if (start <= now && now < end) return (start, end);
        }
        return null;
    }

    /// <summary>The next start after <paramref name="now"/> (within 8 days for a weekly window); null when none is left.</summary>
    public static DateTimeOffset? NextStart(MuteSpec spec, DateTimeOffset? endedAt, DateTimeOffset now)
    {
        foreach (var (start, _) in Occurrences(spec, endedAt, now, now + TimeSpan.FromDays(8)))
        {
            if (start > now) return start;
        }
        return null;
    }

    /// <summary>The next moment after <paramref name="now"/> at which the mute starts or stops being in force.</summary>
    public static DateTimeOffset? NextBoundary(MuteSpec spec, DateTimeOffset? endedAt, DateTimeOffset now) =>
        Current(spec, endedAt, now)?.End ?? NextStart(spec, endedAt, now);

    /// <summary>Whether the mute can never be in force again after <paramref name="now"/>.</summary>
    public static bool Over(MuteSpec spec, DateTimeOffset? endedAt, DateTimeOffset now) => Until(spec, endedAt) is { } until && until <= now;

    /// <summary>The end of everything: the earlier of <c>ends_at</c> and the early end.</summary>
    public static DateTimeOffset? Until(MuteSpec spec, DateTimeOffset? endedAt) =>
        (spec.EndsAt, endedAt) switch
        {
            ({ } ends, { } ended) => ends < ended ? ends : ended,
            (var ends, var ended) => ends ?? ended,
        };

    /// <summary>The occurrences that overlap [<paramref name="from"/>, <paramref name="to"/>), oldest first, clipped to the bounds.</summary>
    private static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Occurrences(MuteSpec spec, DateTimeOffset? endedAt, DateTimeOffset from, DateTimeOffset to)
    {
        var lower = spec.StartsAt ?? DateTimeOffset.MinValue;
        var upper = Until(spec, endedAt) ?? DateTimeOffset.MaxValue;
        if (spec.Weekly is not { } weekly)
        {
            if (spec.StartsAt is { } start && start < upper) yield return (start, upper);
            yield break;
        }
        var zone = TimeZoneInfo.FindSystemTimeZoneById(weekly.TimeZone);
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime).AddDays(-1);
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, zone).DateTime);
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            if (!weekly.Days.Contains(day.DayOfWeek)) continue;
            var start = ToUtc(day.ToDateTime(weekly.Start), zone);
            var end = ToUtc((weekly.End > weekly.Start ? day : day.AddDays(1)).ToDateTime(weekly.End), zone);
            if (start < lower) start = lower;
            if (end > upper) end = upper;
            if (start < end && end > from && start < to) yield return (start, end);
        }
    }

    private static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        if (zone.IsInvalidTime(local)) local = local.AddHours(1);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
