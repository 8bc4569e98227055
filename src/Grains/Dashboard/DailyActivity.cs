using Alerts.Contracts;

namespace Alerts.Grains.Dashboard;

/// <summary>An integration's attempts on one UTC day: failed, succeeded, and failures by code (the top ones, the rest counted).</summary>
[GenerateSerializer, Alias("alerts.day-activity")]
public sealed class DayActivity
{
    /// <summary>Days since 1970-01-01 (UTC).</summary>
    [Id(0)] public int Day { get; set; }
    [Id(1)] public long Failed { get; set; }
    [Id(2)] public long Succeeded { get; set; }
    /// <summary>Failures per code; <see cref="DailyActivity.NoCode"/> for failures reported without one. At most <see cref="DailyActivity.CodesPerDay"/>.</summary>
    [Id(3)] public Dictionary<int, long> Codes { get; set; } = [];
    /// <summary>Failures whose code did not fit in <see cref="Codes"/> that day.</summary>
    [Id(4)] public long OtherCodes { get; set; }
}

/// <summary>
/// Daily counts of one integration for the dashboard (SPEC §7), pure: each attempt lands in the UTC day it occurred (a
/// back-filled report in its own day), and days older than <see cref="DaysKept"/> before the newest are dropped — 30 days
/// shown plus the 30 before them for the change, plus today. Bounded: 61 days × (16 codes + 3 numbers).
/// </summary>
public static class DailyActivity
{
    public const int DaysKept = 61;
    public const int CodesPerDay = 16;
    public const int NoCode = -1;

    public static int DayOf(DateTimeOffset at) => (int)(at.UtcTicks / TimeSpan.TicksPerDay - DateTimeOffset.UnixEpoch.UtcTicks / TimeSpan.TicksPerDay);

    public static DateOnly DateOf(int day) => DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(day));

    /// <summary>Counts one attempt; <paramref name="today"/> bounds what is kept.</summary>
    public static void Add(List<DayActivity> days, Attempt attempt, DateTimeOffset today)
    {
        var day = DayOf(attempt.OccurredAt ?? today);
        var first = DayOf(today) - (DaysKept - 1);
        if (day < first) return;
        DayActivity bucket;
        // Most attempts are today's, the last day kept: found without a search.
        var index = days.Count > 0 && days[^1].Day <= day ? (days[^1].Day == day ? days.Count - 1 : -1) : days.FindIndex(d => d.Day >= day);
        if (index >= 0 && days[index].Day == day) bucket = days[index];
        else
        {
            bucket = new DayActivity { Day = day };
            if (index < 0) days.Add(bucket);
            else days.Insert(index, bucket);
        }
        if (attempt.Outcome != AttemptOutcome.Error)
        {
            bucket.Succeeded++;
            return;
        }
        bucket.Failed++;
        AddCode(bucket, attempt.StatusCode ?? NoCode, 1);
    }

    private static void AddCode(DayActivity bucket, int code, long failures)
    {
        if (bucket.Codes.TryGetValue(code, out var count)) bucket.Codes[code] = count + failures;
        else if (bucket.Codes.Count < CodesPerDay) bucket.Codes[code] = failures;
        else bucket.OtherCodes += failures;
    }

    /// <summary>Adds one day's counts (another integration's) to the same day in <paramref name="days"/>, kept in day order.</summary>
    public static void Merge(List<DayActivity> days, DayActivity day)
    {
        var index = days.FindIndex(d => d.Day >= day.Day);
        if (index < 0 || days[index].Day != day.Day)
        {
            var copy = Copy(day);
            if (index < 0) days.Add(copy);
            else days.Insert(index, copy);
            return;
        }
        var bucket = days[index];
        bucket.Failed += day.Failed;
        bucket.Succeeded += day.Succeeded;
        bucket.OtherCodes += day.OtherCodes;
        // The biggest codes first, so that what does not fit among the day's codes is what matters least.
        foreach (var (code, failures) in day.Codes.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key)) AddCode(bucket, code, failures);
    }

    public static DayActivity Copy(DayActivity day) => new()
    {
        Day = day.Day, Failed = day.Failed, Succeeded = day.Succeeded, Codes = new Dictionary<int, long>(day.Codes), OtherCodes = day.OtherCodes,
    };

    /// <summary>Drops days before the kept range ending at <paramref name="today"/>.</summary>
    public static void Trim(List<DayActivity> days, DateTimeOffset today)
    {
        var first = DayOf(today) - (DaysKept - 1);
        days.RemoveAll(d => d.Day < first);
    }
}
