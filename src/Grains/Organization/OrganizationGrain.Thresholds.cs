using System.Globalization;
using Alerts.Contracts;
using Alerts.Grains.Notifications;
using Alerts.Grains.Policies;
using Alerts.Grains.State;

namespace Alerts.Grains.Organization;

/// <summary>Threshold counting and decisions (SPEC §2).</summary>
public sealed partial class OrganizationGrain
{
    private static string CooldownReminder(Direction direction) => $"cooldown-{direction.Wire()}";

    public async Task CountErrorsAsync(string integrationId, IReadOnlyList<ErrorBatch> batches)
    {
        var now = Now;
        var counted = State.CountedThrough.GetValueOrDefault(integrationId);
        var touched = new List<Direction>(2);
        foreach (var batch in batches.OrderBy(b => b.Sequence))
        {
            if (batch.Sequence <= counted) continue;
            var direction = State.For(batch.Direction);
            var boundary = ThresholdPolicy.ForgetBoundary(direction.LastFailureAt, now);
            foreach (var occurredAt in batch.OccurredAt)
            {
                if (occurredAt > boundary) direction.Window.Add(occurredAt, integrationId);
            }
            counted = batch.Sequence;
            if (!touched.Contains(batch.Direction)) touched.Add(batch.Direction);
        }
        State.CountedThrough[integrationId] = counted;
        var decided = Decide(touched, now);
        // Even when every batch was counted before, wait for a write: the call that counted it may still be writing.
        await SaveAsync();
        await AfterDecisionsAsync(decided);
    }

    public async Task EvaluateThresholdsAsync()
    {
        var decided = Decide(Directions.All, Now);
        if (decided.Count > 0) await SaveAsync();
        await AfterDecisionsAsync(decided);
        foreach (var direction in Directions.All)
        {
            if (!decided.Exists(entry => entry.Direction == direction)) await SyncCooldownReminderAsync(direction);
        }
    }

    private async Task OnCooldownEndedAsync(Direction direction)
    {
        var decided = Decide([direction], Now);
        if (decided.Count > 0) await SaveAsync();
        await AfterDecisionsAsync(decided);
        if (decided.Count == 0) await SyncCooldownReminderAsync(direction);
    }

    /// <summary>Applies the policy to each direction; a notification becomes an outbox entry in the same state.</summary>
    private List<OutboxEntry> Decide(IEnumerable<Direction> directions, DateTimeOffset now)
    {
        var decided = new List<OutboxEntry>();
        if (State.Profile is not { } profile) return decided;
        foreach (var direction in directions)
        {
            var bookkeeping = State.For(direction);
            bookkeeping.Window.ForgetUpTo(ThresholdPolicy.ForgetBoundary(bookkeeping.LastFailureAt, now));
            var settings = profile.IntegrationNotifications.For(direction);
            var decision = ThresholdPolicy.Evaluate(settings, bookkeeping.LastFailureAt, bookkeeping.Window, now);
            if (decision.Outcome != ThresholdOutcome.Notify) continue;

            // The CSV holds the errors since the previous notification of this direction.
            var exportSince = bookkeeping.LastFailureAt ?? now - ThresholdAlert.FirstExportSpan;
            bookkeeping.LastFailureAt = now;
            bookkeeping.Window.ForgetUpTo(now);
            var entry = ThresholdEntry(profile, direction, settings.FailureInterval!.Value, decision, now, exportSince);
            if (OutboxRules.Add(State.Outbox, entry)) decided.Add(entry);
            Log.ThresholdReached(logger, OrgId, decision.Errors.Count, direction.Wire(), settings.FailureLimit!.Value, entry.Recipients.Count);
        }
        return decided;
    }

    private OutboxEntry ThresholdEntry(
        OrganizationProfile profile, Direction direction, FailureInterval interval, ThresholdDecision decision, DateTimeOffset now,
        DateTimeOffset exportSince)
    {
        var recipients = State.Users.Values
            .Where(user => user.IsSubscribedTo(direction.ErrorEvent()))
            .Select(user => user.Email)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .Select(email => new OutboxRecipient { Email = email, Status = NotificationStatus.Pending })
            .ToList();
        var top = decision.TopIntegrations
            .Select(pair => State.Integrations.TryGetValue(pair.IntegrationId, out var known)
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
            Kind = NotificationKind.ThresholdExceeded,
            Direction = direction,
            Recipients = recipients,
            Subject = EmailTemplates.Subject(EmailTemplates.ThresholdSubject, profile.Environment, profile.Production),
            CreatedAt = now,
            Status = NotificationStatus.Pending,
            Threshold = alert,
        };
    }

    private async Task AfterDecisionsAsync(List<OutboxEntry> decided)
    {
        if (decided.Count == 0) return;
        foreach (var entry in decided)
        {
            if (entry.Status == NotificationStatus.Pending) dispatcher.Dispatch(OutboxRules.ToDelivery(OrgId, entry));
            await SyncCooldownReminderAsync(entry.Direction!.Value);
        }
        if (decided.Exists(entry => entry.Status == NotificationStatus.Pending)) await EnsureOutboxReminderAsync();
    }

    /// <summary>
    /// Keeps a reminder due when the direction's cooldown ends (SPEC §2.3), so errors that piled up during it
    /// are reported without waiting for another error; removes it when there is no cooldown.
    /// </summary>
    private async Task SyncCooldownReminderAsync(Direction direction)
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
