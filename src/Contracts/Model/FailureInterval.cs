namespace Alerts.Contracts;

/// <summary>The windows an organization may choose for counting errors (SPEC §2).</summary>
[GenerateSerializer, Alias("alerts.failure-interval")]
public enum FailureInterval
{
    FiveMinutes = 0,
    FifteenMinutes = 1,
    ThirtyMinutes = 2,
    OneHour = 3,
    ThreeHours = 4,
    SixHours = 5,
    TwelveHours = 6,
    OneDay = 7,
    SevenDays = 8,
}

public static class FailureIntervals
{
    private static readonly (FailureInterval Value, string Wire, TimeSpan Length)[] Table =
    [
        (FailureInterval.FiveMinutes, "5m", TimeSpan.FromMinutes(5)),
        (FailureInterval.FifteenMinutes, "15m", TimeSpan.FromMinutes(15)),
        (FailureInterval.ThirtyMinutes, "30m", TimeSpan.FromMinutes(30)),
        (FailureInterval.OneHour, "1h", TimeSpan.FromHours(1)),
        (FailureInterval.ThreeHours, "3h", TimeSpan.FromHours(3)),
        (FailureInterval.SixHours, "6h", TimeSpan.FromHours(6)),
        (FailureInterval.TwelveHours, "12h", TimeSpan.FromHours(12)),
        (FailureInterval.OneDay, "24h", TimeSpan.FromHours(24)),
        (FailureInterval.SevenDays, "7d", TimeSpan.FromDays(7)),
    ];

    /// <summary>The longest window: errors older than this never count again.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(7);

    public static IEnumerable<string> WireNames => Table.Select(row => row.Wire);

    public static bool TryParse(string? wire, out FailureInterval interval)
    {
        foreach (var row in Table)
        {
            if (string.Equals(row.Wire, wire, StringComparison.Ordinal))
            {
                interval = row.Value;
                return true;
            }
        }
        interval = default;
        return false;
    }

    public static string Wire(this FailureInterval interval) => Find(interval).Wire;

    public static TimeSpan Length(this FailureInterval interval) => Find(interval).Length;

    private static (FailureInterval Value, string Wire, TimeSpan Length) Find(FailureInterval interval)
    {
        foreach (var row in Table)
        {
            if (row.Value == interval) return row;
        }
        throw new ArgumentOutOfRangeException(nameof(interval));
    }
}
