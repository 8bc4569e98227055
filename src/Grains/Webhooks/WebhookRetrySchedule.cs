namespace Alerts.Grains.Webhooks;

/// <summary>
/// When a failed webhook delivery is tried again (SPEC §6.2), pure: exponential back-off from
/// <see cref="FirstDelay"/> with ±20% jitter, at most <see cref="MaxDelay"/> between attempts, a <c>Retry-After</c> of the
/// receiver honoured (within the same cap), and nothing after <see cref="GiveUpAfter"/> from the first attempt: then
/// the delivery is exhausted.
/// </summary>
public static class WebhookRetrySchedule
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(24);
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(3);

    /// <summary>
    /// The time of the next attempt after <paramref name="failedAttempts"/> failures (1 after the first), or null when
    /// the delivery is exhausted. <paramref name="jitter"/> is a number in [0, 1) (random in production).
    /// </summary>
    public static DateTimeOffset? Next(int failedAttempts, DateTimeOffset firstAttemptAt, DateTimeOffset now, TimeSpan? retryAfter, double jitter) =>
        Next(failedAttempts, firstAttemptAt, now, retryAfter, jitter, FirstDelay, MaxDelay, GiveUpAfter);

    /// <summary>The same with another shape (tests and local trials shorten it through <see cref="DeliveryOptions"/>).</summary>
    public static DateTimeOffset? Next(
        int failedAttempts, DateTimeOffset firstAttemptAt, DateTimeOffset now, TimeSpan? retryAfter, double jitter,
        TimeSpan firstDelay, TimeSpan maxDelay, TimeSpan giveUpAfter)
    {
        if (failedAttempts < 1) throw new ArgumentOutOfRangeException(nameof(failedAttempts), "after at least one failure");
        var exponent = Math.Min(failedAttempts - 1, 30);
        var backOff = Math.Min(firstDelay.TotalSeconds * Math.Pow(2, exponent), maxDelay.TotalSeconds);
        var delay = TimeSpan.FromSeconds(Math.Min(backOff * (0.8 + 0.4 * jitter), maxDelay.TotalSeconds));
        if (retryAfter is { } asked && asked > delay) delay = asked < maxDelay ? asked : maxDelay;
        var next = now + delay;
        return next > firstAttemptAt + giveUpAfter ? null : next;
    }

    /// <summary>A <c>Retry-After</c> header: seconds, or an HTTP date; null when absent or unreadable.</summary>
    public static TimeSpan? RetryAfter(string? header, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        if (int.TryParse(header.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(seconds);
        return DateTimeOffset.TryParse(header, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) && at > now
            ? at - now
            : null;
    }
}
