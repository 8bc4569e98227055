using System.Globalization;
using Alerts.Contracts;
using Alerts.Contracts.Telemetry;
using Alerts.Grains.Notify;
using Alerts.Grains.Stores;
using Alerts.Grains.Organization;
using Alerts.Grains.Mutes;

namespace Alerts.Grains.Thresholds;

/// <summary>
/// Threshold decisions (SPEC §2): each active direction's errors counted in its <see cref="ErrorWindow"/>, the
/// <see cref="ThresholdPolicy"/> applied, a notification turned into an outbox entry written with the snapshot and
/// handed over; a reminder per direction due when its cooldown ends. Its state is the snapshot's two
/// <see cref="DirectionState"/>s (bounded by the window) and the hand-overs.
/// </summary>
internal sealed class ThresholdDecisions(IOrganizationHost host, Members members, HandOver handOver, ReminderTable reminders, MuteBook mutes)
{
    private OrganizationState State => host.State;

    private static string CooldownReminder(Direction direction) => $"cooldown-{direction.Wire()}";

    public void RegisterReminders()
    {
        foreach (var direction in Directions.All) reminders.Handle(CooldownReminder(direction), () => OnCooldownEndedAsync(direction));
    }

    /// <summary>Adds the errors to the windows of active directions; returns the directions that changed.</summary>
    public List<Direction> Count(IReadOnlyList<Report> reports, DateTimeOffset now)
    {
        var touched = new List<Direction>(2);
        foreach (var report in reports)
        {
            if (report.Attempt.Outcome != AttemptOutcome.Error || !members.Integrations.TryGetValue(report.IntegrationId, out var integration)) continue;
            // A muted integration's errors are logged and shown, but not counted toward its direction's alert.
            if (mutes.IntegrationMuted(report.IntegrationId, now)) continue;
            var direction = integration.Type.Direction();
            var bookkeeping = State.For(direction);
            if (bookkeeping.Window is not { } window)
            {
                // An inactive direction counts nothing, but its decision log notes that errors met a limit of 0.
                DecisionLog.Record(bookkeeping.Decisions, ThresholdDecision.Inactive, State.Profile!.IntegrationNotifications.For(direction), null, now);
                continue;
            }
            var interval = State.Profile!.IntegrationNotifications.For(direction).FailureInterval!.Value;
            if (report.Attempt.OccurredAt <= ThresholdPolicy.ForgetBoundary(bookkeeping.LastFailureAt, now, interval)) continue;
            var at = report.Attempt.OccurredAt!.Value;
            window.Add(at, report.IntegrationId, report.Attempt.StatusCode, integration.Type);
            // What the alert will show is captured as the errors are counted: rendering it reads nothing back.
            if (window.IsAmongLatest(at))
                window.AddLatest(new LatestLine(at, integration.Name, report.Attempt.StatusCode, LatestLine.Shorten(report.Attempt.Message)));
            if (!touched.Contains(direction)) touched.Add(direction);
        }
        return touched;
    }

    /// <summary>Before new settings: what the old interval already let go does not come back with a longer one.</summary>
    public void BeforeSettingsChange(DateTimeOffset now)
    {
        foreach (var direction in Directions.All)
        {
            var bookkeeping = State.For(direction);
            if (bookkeeping.Window is { } window && State.Profile?.IntegrationNotifications.For(direction) is { IsActive: true } settings)
                window.ForgetUpTo(ThresholdPolicy.ForgetBoundary(bookkeeping.LastFailureAt, now, settings.FailureInterval!.Value));
        }
    }

    /// <summary>
    /// After new settings: a window is kept only while its direction is active, sized to its interval — created when it
    /// becomes active, dropped when it stops (limit 0), re-bucketed when the interval changes.
    /// </summary>
    public void AfterSettingsChange(DateTimeOffset now)
    {
        foreach (var direction in Directions.All)
        {
            var bookkeeping = State.For(direction);
            var settings = State.Profile!.IntegrationNotifications.For(direction);
            if (!settings.IsActive)
            {
                bookkeeping.Window = null;
                continue;
            }
            var interval = settings.FailureInterval!.Value;
            if (bookkeeping.Window is null) bookkeeping.Window = ErrorWindow.For(interval.Length());
            else bookkeeping.Window.Resize(interval.Length());
            bookkeeping.Window.ForgetUpTo(ThresholdPolicy.ForgetBoundary(bookkeeping.LastFailureAt, now, interval));
        }
    }

    public async Task EvaluateAsync()
    {
        var decided = Decide(Directions.All, host.Now);
        if (decided.Count > 0) await MakeDurableAsync(decided, State.JournalPosition);
        foreach (var direction in Directions.All)
        {
            if (!decided.Exists(entry => entry.Payload.Direction == direction)) await SyncCooldownAsync(direction);
        }
    }

    private async Task OnCooldownEndedAsync(Direction direction)
    {
        var decided = Decide([direction], host.Now);
        if (decided.Count > 0) await MakeDurableAsync(decided, State.JournalPosition);
        else await SyncCooldownAsync(direction);
    }

    /// <summary>Applies the policy to each direction; a notification becomes an outbox entry in the same snapshot.</summary>
    public List<OutboxEntry> Decide(IEnumerable<Direction> directions, DateTimeOffset now)
    {
        var decided = new List<OutboxEntry>();
        if (State.Profile is not { } profile) return decided;
        // With too many decisions not yet taken by the outbox, new ones wait: the errors stay counted, and the next
        // evaluation decides (nothing is dropped, and the snapshot stays bounded).
        if (State.HandOvers.Count >= OrganizationState.MaxHandOvers)
        {
            Log.HandOversBacklogged(host.Logger, host.OrgId, State.HandOvers.Count);
            return decided;
        }
        foreach (var direction in directions)
        {
            var bookkeeping = State.For(direction);
            var settings = profile.IntegrationNotifications.For(direction);
            if (bookkeeping.Window is not { } window || !settings.IsActive) continue;
            window.ForgetUpTo(ThresholdPolicy.ForgetBoundary(bookkeeping.LastFailureAt, now, settings.FailureInterval!.Value));
            var decision = ThresholdPolicy.Evaluate(settings, bookkeeping.LastFailureAt, window, now);
            if (decision.Outcome != ThresholdOutcome.Notify)
            {
                DecisionLog.Record(bookkeeping.Decisions, decision, settings, null, now);
                continue;
            }
            // Muted: nothing is sent and the cooldown does not start; the mute's end evaluates again and tells it once.
            if (mutes.DirectionMuted(direction, now) is { } muted)
            {
                DecisionLog.RecordMuted(bookkeeping.Decisions, decision, settings, muted.MuteId, muted.Until, now);
                continue;
            }

            // The CSV holds the errors since the previous notification of this direction.
            var exportSince = bookkeeping.LastFailureAt ?? now - ThresholdAlert.FirstExportSpan;
            var entry = Entry(profile, direction, settings.FailureInterval!.Value, decision, window, now, exportSince);
            bookkeeping.LastFailureAt = now;
            window.ForgetUpTo(now);
            DecisionLog.Record(bookkeeping.Decisions, decision, settings, entry.Id, now);
            decided.Add(entry);
            AlertsMetrics.ThresholdDecisions.Add(1, new KeyValuePair<string, object?>("direction", direction.Wire()));
            Log.ThresholdReached(host.Logger, host.OrgId, decision.Errors.Count, direction.Wire(), settings.FailureLimit!.Value);
        }
        State.HandOvers.AddRange(decided);
        return decided;
    }

    /// <summary>
    /// Writes the decision's snapshot and its reminders and enqueues it (held) before anything is sent; it is released
    /// to the delivery worker once the errors behind it (up to commit <paramref name="sequence"/>) are in the error log.
    /// </summary>
    public async Task MakeDurableAsync(List<OutboxEntry> decided, long sequence, string? cause = null)
    {
        // The trace of the request whose reports crossed the limit goes on to the e-mails: through the entry, the
        // outbox and the delivery worker.
        using var span = AlertsTelemetry.StartContinuing("alerts.threshold.notify", cause);
        span?.SetTag("alerts.org", host.OrgId);
        span?.SetTag("alerts.directions", string.Join(',', decided.Select(entry => entry.Payload.Direction!.Value.Wire())));
        foreach (var entry in decided) entry.TraceParent = AlertsTelemetry.CurrentTraceParent();
        await host.SaveAsync();
        // Enqueued before the callers are answered, so the notification is listed when they look; released later.
        await handOver.EnqueueHeldAsync(decided);
        _ = handOver.HandOverAsync(decided, sequence);
        // The decision is written and on its way: a reminder service that cannot be reached now (its silo just died)
        // fails neither the reports nor the notification; the snapshot timer writes the reminder later.
        await TrySyncCooldownsAsync();
    }

    /// <summary>A cooldown reminder's write failed: the snapshot timer writes them again.</summary>
    private bool _remindersBehind;

    /// <summary>
    /// Brings the cooldown reminders in line with the snapshot; a failure (the reminder service unreachable) is logged
    /// and left to <see cref="RetryRemindersAsync"/>.
    /// </summary>
    public async Task TrySyncCooldownsAsync()
    {
        _remindersBehind = false;
        try
        {
            await SyncCooldownsAsync();
        }
        catch (Exception exception)
        {
            _remindersBehind = true;
            Log.RemindersFailed(host.Logger, exception, host.OrgId);
        }
    }

    /// <summary>The snapshot timer's part: the reminders again if a write failed.</summary>
    public Task RetryRemindersAsync() => _remindersBehind ? TrySyncCooldownsAsync() : Task.CompletedTask;

    private OutboxEntry Entry(
        OrganizationProfile profile, Direction direction, FailureInterval interval, ThresholdDecision decision, ErrorWindow window,
        DateTimeOffset now, DateTimeOffset exportSince)
    {
        var top = decision.TopIntegrations
            .Select(pair => members.Integrations.TryGetValue(pair.IntegrationId, out var known)
                ? new FailingIntegration(pair.IntegrationId, known.Name, known.Type, pair.Errors)
                : new FailingIntegration(pair.IntegrationId, pair.IntegrationId, default, pair.Errors))
            .ToList();
        var alert = new ThresholdAlert(
            host.OrgId, profile.Name, profile.Environment, profile.Production, direction, decision.Errors.Count,
            decision.Errors.Exact, interval, decision.CountedAfter!.Value, now, top, exportSince,
            window.TopCodesAfter(decision.CountedAfter.Value, ThresholdAlert.CodesShown),
            window.LatestAfter(decision.CountedAfter.Value).Take(ThresholdAlert.LatestShown).ToList());
        return new OutboxEntry
        {
            // The idempotency key: organization (the grain), kind, direction and last_failure_at.
            Id = string.Create(CultureInfo.InvariantCulture, $"threshold-{direction.Wire()}-{now.UtcDateTime:yyyyMMdd'T'HHmmss.fffffff'Z'}"),
            Payload = alert,
            Subject = alert.Subject,
            CreatedAt = now,
        };
    }

    /// <summary>Brings every direction's cooldown reminder in line with the snapshot.</summary>
    public async Task SyncCooldownsAsync()
    {
        foreach (var direction in Directions.All) await SyncCooldownAsync(direction);
    }

    /// <summary>
    /// Keeps a reminder due when the direction's cooldown ends (SPEC §2.3), so errors that piled up during it are
    /// reported without waiting for another error; removes it when there is no cooldown.
    /// </summary>
    private Task SyncCooldownAsync(Direction direction) => reminders.SyncAsync(CooldownReminder(direction), () =>
    {
        var settings = State.Profile?.IntegrationNotifications.For(direction);
        if (settings is not { IsActive: true } || State.For(direction).LastFailureAt is not { } lastFailureAt) return null;
        var interval = settings.FailureInterval!.Value.Length();
        var due = lastFailureAt + interval - host.Now;
        // The period only matters if a tick is missed; each tick re-evaluates and re-syncs.
        return due > TimeSpan.Zero ? (due, interval) : null;
    });
}
