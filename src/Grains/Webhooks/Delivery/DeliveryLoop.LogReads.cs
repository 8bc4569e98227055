using Alerts.Contracts;
using Alerts.Contracts.Telemetry;

namespace Alerts.Grains.Webhooks.Delivery;

/// <summary>What the delivery loop reads back from its log: the health of the last day, and a recovery.</summary>
internal sealed partial class DeliveryLoop
{
    /// <summary>How much of the delivery log a recovery reads at most (its retention bounds it too).</summary>
    public const int RecoveryScanLimit = 20_000;

    /// <summary>
    /// The health of the last 24 hours: the log read back past the window and to the last delivery, at most
    /// <see cref="RecoveryScanLimit"/> attempts.
    /// </summary>
    public async Task<WebhookHealthView?> HealthAsync()
    {
        if (!State.Exists) return null;
        var now = _host.Now;
        // Past the window, and on to the last delivery (which may be older).
        bool PastWindow(List<DeliveryAttempt> read) => read.Count > 0 && read[^1].At < now - WebhookHealth.Window;
        var (attempts, whole) = await ReadBackAsync(read => PastWindow(read) && read.Exists(a => a.Outcome == DeliveryOutcome.Delivered));
        // Partial only when the scan limit cut the window itself, not the search for an older last delivery.
        return WebhookHealth.Of(attempts, now, whole || PastWindow(attempts));
    }

    /// <summary>
    /// Queues again every message that failed, was exhausted or was dropped since <paramref name="since"/> (its last
    /// attempt), oldest first, as far as the queue has room; the loop sends them one at a time as it sends any message.
    /// Null when there is no such subscription; refused (nothing queued) while it is disabled.
    /// </summary>
    public async Task<RecoveryResult?> RecoverAsync(DateTimeOffset since)
    {
        if (!State.Exists) return null;
        if (!State.Enabled) return RecoveryResult.WhileDisabled;
        var (attempts, _) = await ReadBackAsync(read => read.Count > 0 && read[^1].At < since);
        var waiting = State.Waiting.Select(w => w.MessageId).ToHashSet(StringComparer.Ordinal);
        var picked = RecoveryPlan.Select(attempts, since, waiting);
        var queued = picked.Take(Math.Max(0, Options.MaxPending - State.Waiting.Count)).ToList();
        if (queued.Count == 0) return new RecoveryResult(0, picked.Count, false);
        var now = _host.Now;
        foreach (var (messageId, eventType) in queued)
        {
            State.Recent.Remove(messageId);
            State.Waiting.Add(new WaitingMessage
            {
                MessageId = messageId, EventType = eventType, QueuedAt = now, NextAttemptAt = now,
                TraceParent = AlertsTelemetry.CurrentTraceParent(),
            });
        }
        await _host.SaveAsync();
        await WakeUpAsync();
        return new RecoveryResult(queued.Count, picked.Count - queued.Count, false);
    }

    /// <summary>
    /// Reads the delivery log newest first, a page at a time, until <paramref name="enough"/> says so (given what was read),
    /// the log ends, or <see cref="RecoveryScanLimit"/> attempts were read. <c>Whole</c>: it stopped for one of the first two.
    /// </summary>
    private async Task<(List<DeliveryAttempt> Attempts, bool Whole)> ReadBackAsync(Func<List<DeliveryAttempt>, bool> enough)
    {
        var attempts = new List<DeliveryAttempt>();
        string? cursor = null;
        do
        {
            var page = await _store.ListAttemptsAsync(OrgId, WebhookId, 200, cursor);
            attempts.AddRange(page.Items);
            cursor = page.Next;
            if (cursor is null || page.Items.Count == 0 || enough(attempts)) return (attempts, true);
        }
        while (attempts.Count < RecoveryScanLimit);
        return (attempts, false);
    }
}
