namespace Alerts.Grains.Notify;

/// <summary>
/// When to try a failed e-mail delivery again: quickly at first, then hourly, for up to
/// <see cref="GiveUpAfter"/> from the moment the notification was decided.
/// </summary>
public static class RetrySchedule
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(24);

    private static readonly TimeSpan[] Delays =
    [
        TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(1),
        TimeSpan.FromMinutes(2),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1),
    ];

    /// <summary>The delay after the <paramref name="failedAttempts"/>-th failed attempt (1-based).</summary>
    public static TimeSpan DelayAfter(int failedAttempts) =>
        Delays[Math.Clamp(failedAttempts, 1, Delays.Length) - 1];

    /// <summary>The next attempt's time, or null when the next attempt would fall after the give-up deadline.</summary>
    public static DateTimeOffset? NextAttempt(DateTimeOffset decidedAt, int failedAttempts, DateTimeOffset now)
    {
        var next = now + DelayAfter(failedAttempts);
        return next <= decidedAt + GiveUpAfter ? next : null;
    }
}
