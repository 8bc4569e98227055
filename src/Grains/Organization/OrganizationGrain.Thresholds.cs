using System.Globalization;
using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Grains.Policies;
using Alerts.Grains.State;

namespace Alerts.Grains.Organization;

/// <summary>Threshold decisions (SPEC §2): windows per active direction, the policy, cooldown reminders.</summary>
public sealed partial class OrganizationGrain
{
    private static string CooldownReminder(Direction direction) => $"cooldown-{direction.Wire()}";

    public async Task EvaluateThresholdsAsync()
    {
        var decided = Decide(Directions.All, Now);
        if (decided.Count > 0) await MakeDecisionsDurableAsync(decided, State.JournalPosition);
        foreach (var direction in Directions.All)
        {
            if (!decided.Exists(entry => entry.Payload.Direction == direction)) await SyncCooldownReminderAsync(direction);
        }
    }

    private async Task OnCooldownEndedAsync(Direction direction)
    {
        var decided = Decide([direction], Now);
        if (decided.Count > 0) await MakeDecisionsDurableAsync(decided, State.JournalPosition);
        else await SyncCooldownReminderAsync(direction);
    }

    private void ForgetOutsideWindow(Direction direction, DateTimeOffset now)
    {
        var bookkeeping = State.For(direction);
        if (bookkeeping.Window is { } window && State.Profile?.IntegrationNotifications.For(direction) is { IsActive: true } settings)
            window.ForgetUpTo(ThresholdPolicy.ForgetBoundary(bookkeeping.LastFailureAt, now, settings.FailureInterval!.Value));
    }

    /// <summary>
    /// Keeps a window only while the direction is active, sized to its interval: created when it becomes active,
    /// dropped when it stops (limit 0), re-bucketed when the interval changes.
    /// </summary>
    private void FitWindow(Direction direction)
    {
        var bookkeeping = State.For(direction);
        var settings = State.Profile!.IntegrationNotifications.For(direction);
        if (!settings.IsActive)
        {
            bookkeeping.Window = null;
            return;
        }
        var interval = settings.FailureInterval!.Value;
        if (bookkeeping.Window is null) bookkeeping.Window = ErrorWindow.For(interval.Length());
        else bookkeeping.Window.Resize(interval.Length());
        bookkeeping.Window.ForgetUpTo(ThresholdPolicy.ForgetBoundary(bookkeeping.LastFailureAt, Now, interval));
    }

    /// <summary>Applies the policy to each direction; a notification becomes an outbox entry in the same snapshot.</summary>
    private List<OutboxEntry> Decide(IEnumerable<Direction> directions, DateTimeOffset now)
    {
        var decided = new List<OutboxEntry>();
        if (State.Profile is not { } profile) return decided;
        // With too many decisions not yet taken by the outbox, new ones wait: the errors stay counted, and the next
        // evaluation decides (nothing is dropped, and the snapshot stays bounded).
        if (State.HandOvers.Count >= OrganizationState.MaxHandOvers)
        {
            Log.HandOversBacklogged(logger, OrgId, State.HandOvers.Count);
            return decided;
        }
        foreach (var direction in directions)
        {
            var bookkeeping = State.For(direction);
            var settings = profile.IntegrationNotifications.For(direction);
            if (bookkeeping.Window is not { } window || !settings.IsActive) continue;
            window.ForgetUpTo(ThresholdPolicy.ForgetBoundary(bookkeeping.LastFailureAt, now, settings.FailureInterval!.Value));
            var decision = ThresholdPolicy.Evaluate(settings, bookkeeping.LastFailureAt, window, now);
            if (decision.Outcome != ThresholdOutcome.Notify) continue;

            // The CSV holds the errors since the previous notification of this direction.
            var exportSince = bookkeeping.LastFailureAt ?? now - ThresholdAlert.FirstExportSpan;
            bookkeeping.LastFailureAt = now;
            window.ForgetUpTo(now);
            var entry = ThresholdEntry(profile, direction, settings.FailureInterval!.Value, decision, now, exportSince);
            decided.Add(entry);
            Log.ThresholdReached(logger, OrgId, decision.Errors.Count, direction.Wire(), settings.FailureLimit!.Value, Subscribers(entry.Payload.Audience).Count);
        }
        State.HandOvers.AddRange(decided);
        return decided;
    }

    /// <summary>
    /// Writes the decision's snapshot and its reminders and enqueues it (held) before anything is sent; it is released
    /// to the delivery worker once the errors behind it are in the error log (the CSV reads them).
    /// </summary>
    private async Task MakeDecisionsDurableAsync(List<OutboxEntry> decided, long sequence)
    {
        await SaveAsync();
        foreach (var entry in decided) await SyncCooldownReminderAsync(entry.Payload.Direction!.Value);
        // Enqueued before the callers are answered, so the notification is listed when they look; released later.
        await EnqueueHeldAsync(decided);
        _ = HandOverAsync(decided, sequence);
    }

    /// <summary>
    /// After an activation: a decision a crash kept from being made is made now (and written); then, off the
    /// activation path so that reports are taken even if the reminder service or the outbox is slow, reminders are
    /// rebuilt from the snapshot and pending hand-overs are handed over once the replayed errors are logged.
    /// </summary>
    private async Task ResumeAfterActivationAsync()
    {
        if (Decide(Directions.All, Now).Count > 0) await SaveAsync();
        _ = RebuildAfterActivationAsync();
    }

    private async Task RebuildAfterActivationAsync()
    {
        try
        {
            foreach (var direction in Directions.All) await SyncCooldownReminderAsync(direction);
        }
        catch (Exception exception)
        {
            Log.RemindersFailed(logger, exception, OrgId);
        }
        if (State.HandOvers.Count > 0) await HandOverAsync(State.HandOvers.ToList(), State.JournalPosition);
        try
        {
            if (State.PendingDigest is { } round && !_digestRunning)
            {
                _digestRunning = true;
                try
                {
                    await HandOverDigestAsync(round);
                }
                finally
                {
                    _digestRunning = false;
                }
            }
            // Only an organization with a connection on hold needs the reminder service here (it is slow after a silo died).
            if (_connections.Values.Any(connection => connection.HoldUntil is not null)) await SyncHoldsReminderAsync();
        }
        catch (Exception exception)
        {
            Log.HandOverFailed(logger, exception, OrgId);
        }
    }

    private OutboxEntry ThresholdEntry(
        OrganizationProfile profile, Direction direction, FailureInterval interval, ThresholdDecision decision, DateTimeOffset now,
        DateTimeOffset exportSince)
    {
        var top = decision.TopIntegrations
            .Select(pair => _integrations.TryGetValue(pair.IntegrationId, out var known)
                ? new FailingIntegration(pair.IntegrationId, known.Name, known.Type, pair.Errors)
                : new FailingIntegration(pair.IntegrationId, pair.IntegrationId, default, pair.Errors))
            .ToList();
        var alert = new ThresholdAlert(
            OrgId, profile.Name, profile.Environment, profile.Production, direction, decision.Errors.Count,
            decision.Errors.Exact, interval, decision.CountedAfter!.Value, now, top, exportSince);
        return new OutboxEntry
        {
            // The idempotency key: organization (the grain), kind, direction and last_failure_at.
            Id = string.Create(CultureInfo.InvariantCulture, $"threshold-{direction.Wire()}-{now.UtcDateTime:yyyyMMdd'T'HHmmss.fffffff'Z'}"),
            Payload = alert,
            Subject = EmailTemplates.Subject(EmailTemplates.ThresholdSubject, profile.Environment, profile.Production),
            CreatedAt = now,
        };
    }

    /// <summary>
    /// Keeps a reminder due when the direction's cooldown ends (SPEC §2.3), so errors that piled up during it
    /// are reported without waiting for another error; removes it when there is no cooldown.
    /// One reminder change at a time, each computed from the state as it is then: a check-then-unregister cannot remove a
    /// reminder another call has just registered.
    /// </summary>
    private Task SyncCooldownReminderAsync(Direction direction) => _reminderChanges.RunAsync(() => SyncCooldownReminderNowAsync(direction));

    private readonly OneAtATime _reminderChanges = new();

    private async Task SyncCooldownReminderNowAsync(Direction direction)
    {
        var name = CooldownReminder(direction);
        var settings = State.Profile?.IntegrationNotifications.For(direction);
        var last = State.For(direction).LastFailureAt;
        if (settings is { IsActive: true } && last is { } lastFailureAt)
        {
            var interval = settings.FailureInterval!.Value.Length();
            var due = lastFailureAt + interval - Now;
            if (due > TimeSpan.Zero)
            {
                // The period only matters if a tick is missed; each tick re-evaluates and re-syncs.
                await this.RegisterOrUpdateReminder(name, due, interval);
                return;
            }
        }
        var existing = await this.GetReminder(name);
        if (existing is not null) await this.UnregisterReminder(existing);
    }
}
