using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Alerts.Contracts.Telemetry;

namespace Alerts.Grains;

/// <summary>
/// Alerts' own instruments, all in one place (docs/operations.md lists them with what each means). Recorded once per
/// batch, commit, decision or message, never per report, so the hot path pays a few additions per request.
/// </summary>
public static class AlertsMetrics
{
    private static readonly Meter Meter = new(AlertsTelemetry.Name);

    /// <summary>Reports taken by an organization, by <c>outcome</c>: accepted, duplicate, refused (with <c>reason</c>).</summary>
    public static readonly Counter<long> Reports = Meter.CreateCounter<long>("alerts.reports", "{report}", "Reports taken by organizations, by outcome");

    /// <summary>Seconds from a journal commit's start to its durable write.</summary>
    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("alerts.journal.commit.duration", "s", "Time to write one journal commit");

    /// <summary>Reports per journal commit: how many requests share one write.</summary>
    public static readonly Histogram<long> ReportsPerCommit = Meter.CreateHistogram<long>("alerts.journal.commit.reports", "{report}", "Reports per journal commit");

    /// <summary>Journal commits written but not yet projected onto integrations and the error log, at each projection.</summary>
    public static readonly Histogram<long> ProjectionLag = Meter.CreateHistogram<long>("alerts.projection.lag", "{commit}", "Commits waiting to be projected when a projection starts");

    /// <summary>Threshold notifications decided, by <c>direction</c>.</summary>
    public static readonly Counter<long> ThresholdDecisions = Meter.CreateCounter<long>("alerts.threshold.decisions", "{decision}", "Threshold notifications decided");

    /// <summary>Digest rounds that told somebody something, and how long a round took.</summary>
    public static readonly Histogram<double> DigestRoundDuration = Meter.CreateHistogram<double>("alerts.digest.round.duration", "s", "Time to decide one organization's digest round");

    /// <summary>Messages sent through a notification channel, by <c>channel</c> and <c>outcome</c> (delivered, transient_failure, permanent_failure).</summary>
    public static readonly Counter<long> Messages = Meter.CreateCounter<long>("alerts.notification.messages", "{message}", "Notification messages by channel and outcome");

    /// <summary>Seconds a message waited for its turn at its relay's limit.</summary>
    public static readonly Histogram<double> RelayWait = Meter.CreateHistogram<double>("alerts.relay.wait", "s", "Time a message waited for its relay's limit");

    /// <summary>Notifications added to outboxes, by <c>kind</c>; with <see cref="NotificationsFinished"/> the outboxes' depth.</summary>
    public static readonly Counter<long> NotificationsQueued = Meter.CreateCounter<long>("alerts.outbox.queued", "{notification}", "Notifications added to outboxes");

    /// <summary>Notifications that left outboxes, by <c>status</c> (sent, failed, cancelled, no_recipients).</summary>
    public static readonly Counter<long> NotificationsFinished = Meter.CreateCounter<long>("alerts.outbox.finished", "{notification}", "Notifications that left outboxes");

    /// <summary>Webhook delivery attempts, by <c>outcome</c> (delivered, failed).</summary>
    public static readonly Counter<long> WebhookAttempts = Meter.CreateCounter<long>("alerts.webhook.attempts", "{attempt}", "Webhook delivery attempts by outcome");

    /// <summary>Seconds a receiver took to answer a webhook delivery.</summary>
    public static readonly Histogram<double> WebhookLatency = Meter.CreateHistogram<double>("alerts.webhook.latency", "s", "Time a webhook receiver took to answer");

    /// <summary>Webhook subscriptions disabled by their breaker.</summary>
    public static readonly Counter<long> WebhooksDisabled = Meter.CreateCounter<long>("alerts.webhook.disabled", "{subscription}", "Webhook subscriptions disabled after consecutive failures");

    private static readonly ConcurrentDictionary<object, Func<double>> PendingAges = new();

    /// <summary>
    /// Seconds since the oldest notification a delivery worker holds (waiting for its turn, backing off or in a pass)
    /// was created; 0 when none. Growing: e-mail is not getting out (relay down, limit too low).
    /// </summary>
    public static readonly ObservableGauge<double> OldestPendingAge = Meter.CreateObservableGauge(
        "alerts.outbox.oldest_pending_age", () => PendingAges.Values.Select(age => age()).DefaultIfEmpty(0).Max(), "s",
        "Age of the oldest notification waiting to be delivered");

    /// <summary>Adds a source of <see cref="OldestPendingAge"/> (one per delivery worker) until the result is disposed.</summary>
    public static IDisposable TrackPendingAge(Func<double> oldestAgeSeconds)
    {
        var key = new object();
        PendingAges[key] = oldestAgeSeconds;
        return new Untrack(key);
    }

    private sealed class Untrack(object key) : IDisposable
    {
        public void Dispose() => PendingAges.TryRemove(key, out _);
    }
}
