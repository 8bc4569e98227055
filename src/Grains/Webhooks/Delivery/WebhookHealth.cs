using Alerts.Contracts;

namespace Alerts.Grains.Webhooks.Delivery;

/// <summary>
/// A subscription's health over the last <see cref="Window"/>, pure, from its delivery log: attempts made to the
/// receiver (dropped messages were never sent, so they are not attempts), how many delivered, latency percentiles
/// (nearest rank), and when it last delivered at all.
/// </summary>
public static class WebhookHealth
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <param name="newestFirst">The delivery log as it is read, newest attempt first (possibly cut short).</param>
    /// <param name="complete">Whether the log was read back past the window (false: the figures cover only what was read).</param>
    public static WebhookHealthView Of(IReadOnlyList<DeliveryAttempt> newestFirst, DateTimeOffset now, bool complete)
    {
        var from = now - Window;
        var durations = new List<int>();
        var delivered = 0;
        DateTimeOffset? lastSuccess = null;
        foreach (var attempt in newestFirst)
        {
            if (attempt.Outcome == DeliveryOutcome.Delivered && lastSuccess is null) lastSuccess = attempt.At;
            if (attempt.At < from || attempt.Outcome == DeliveryOutcome.Dropped) continue;
            durations.Add(attempt.DurationMs);
            if (attempt.Outcome == DeliveryOutcome.Delivered) delivered++;
        }
        durations.Sort();
        return new WebhookHealthView(
            (int)Window.TotalHours, durations.Count, delivered,
            durations.Count == 0 ? null : Math.Round((double)delivered / durations.Count, 4),
            Percentile(durations, 50), Percentile(durations, 99), lastSuccess, !complete);
    }

    /// <summary>The nearest-rank percentile of sorted values; null when there are none.</summary>
    public static int? Percentile(IReadOnlyList<int> sorted, int percent) =>
        sorted.Count == 0 ? null : sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1)];
}
