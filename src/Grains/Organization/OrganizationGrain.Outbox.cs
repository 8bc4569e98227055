using Alerts.Contracts;
using Alerts.Grains.Policies;
using Alerts.Grains.Notifications;

namespace Alerts.Grains.Organization;

/// <summary>
/// The outbox: entries are written with the decision's snapshot, handed to the delivery worker after it, and
/// handed again after a restart (activation) or by a reminder while any is pending, until every recipient
/// is sent or given up on.
/// </summary>
public sealed partial class OrganizationGrain
{
    private const string OutboxReminder = "outbox";

    public Task<IReadOnlyList<NotificationView>> ListNotificationsAsync(int limit) =>
        // Reversed first so that entries decided at the same instant still list the later one first (the sort is stable).
        Task.FromResult<IReadOnlyList<NotificationView>>(Enumerable.Reverse(State.Outbox)
            .OrderByDescending(entry => entry.CreatedAt)
            .Take(Math.Max(0, limit))
            .Select(entry => entry.ToView())
            .ToList());

    public async Task<OutboxDelivery?> BeginPassAsync(string entryId, string worker)
    {
        var entry = State.Outbox.Find(e => e.Id == entryId);
        if (entry is null || !OutboxRules.TryLease(entry, worker, Now, outboxOptions.Value.PassLease, IsAliveSilo)) return null;
        await SaveAsync();
        return OutboxRules.ToDelivery(OrgId, entry);
    }

    public async Task<OutboxDelivery?> RecordDeliveryAsync(string entryId, IReadOnlyList<RecipientResult> results)
    {
        var entry = State.Outbox.Find(e => e.Id == entryId);
        if (entry is null || !OutboxRules.ApplyResults(entry, results, Now)) return null;
        await SaveAsync();
        if (entry.Status == NotificationStatus.Pending) return OutboxRules.ToDelivery(OrgId, entry);
        if (!HasPending) await RemoveOutboxReminderAsync();
        return null;
    }

    /// <summary>Workers are named by their silo's address: a lease is held only while that silo is in the cluster.</summary>
    private bool IsAliveSilo(string worker) =>
        !SiloAddress.TryParse(worker, out var silo)
        || membership.CurrentSnapshot.GetSiloStatus(silo) is SiloStatus.Active or SiloStatus.Joining or SiloStatus.ShuttingDown or SiloStatus.Stopping;

    private bool HasPending => State.Outbox.Exists(entry => entry.Status == NotificationStatus.Pending);

    private void DispatchPending()
    {
        foreach (var entry in State.Outbox)
        {
            if (entry.Status == NotificationStatus.Pending) dispatcher.Dispatch(OutboxRules.ToDelivery(OrgId, entry));
        }
    }

    private async Task OnOutboxReminderAsync()
    {
        if (HasPending) DispatchPending();
        else await RemoveOutboxReminderAsync();
    }

    private async Task EnsureOutboxReminderAsync() =>
        await this.RegisterOrUpdateReminder(OutboxReminder, outboxOptions.Value.WakeUpPeriod, outboxOptions.Value.WakeUpPeriod);

    private async Task RemoveOutboxReminderAsync()
    {
        var existing = await this.GetReminder(OutboxReminder);
        if (existing is not null) await this.UnregisterReminder(existing);
    }
}
