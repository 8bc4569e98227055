using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Grains.State;

namespace Alerts.Grains.Organization;

/// <summary>
/// The hand-over to the outbox: a decision is written in the snapshot, enqueued held (listed at once), and released
/// once the errors behind it are logged; an activation hands over again whatever was not released. Later changes
/// follow it there: a direction switched off cancels its pending alerts, a recipient who lost the subscription is
/// dropped. The notification log is read from the history table.
/// </summary>
public sealed partial class OrganizationGrain
{
    private IOutboxGrain Outbox => GrainFactory.GetGrain<IOutboxGrain>(OrgId);

    public Task<NotificationPage> ListNotificationsAsync(NotificationQuery query) => notifications.QueryAsync(OrgId, query);

    public async Task<NotificationDetail?> GetNotificationAsync(string notificationId)
    {
        if (await notifications.GetAsync(OrgId, notificationId) is not { } view) return null;
        var recipients = await notifications.RecipientsAsync(OrgId, notificationId);
        return new NotificationDetail(view, recipients.OrderBy(r => r.Address, StringComparer.OrdinalIgnoreCase).ToList());
    }

    /// <summary>Adds decided entries to the snapshot's hand-overs (the oldest go past the bound: they were enqueued long ago).</summary>
    private void KeepHandOvers(List<OutboxEntry> decided)
    {
        State.HandOvers.AddRange(decided);
        var excess = State.HandOvers.Count - OrganizationState.MaxHandOvers;
        if (excess > 0) State.HandOvers.RemoveRange(0, excess);
    }

    /// <summary>Enqueues each entry, held, to the recipients subscribed to it now.</summary>
    private async Task EnqueueAsync(IEnumerable<OutboxEntry> entries)
    {
        foreach (var entry in entries)
        {
            entry.Held = true;
            await Outbox.EnqueueAsync(entry, Subscribers(entry.Payload.Audience));
        }
    }

    /// <summary>Releases the entries once their errors are in the log, then forgets them.</summary>
    private async Task ReleaseWhenProjectedAsync(List<OutboxEntry> entries, long sequence)
    {
        try
        {
            await WaitForProjectionAsync(sequence);
            foreach (var entry in entries)
            {
                await Outbox.ReleaseAsync(entry.Id);
                State.HandOvers.Remove(entry);
            }
        }
        catch (Exception exception)
        {
            // Still in the snapshot's hand-overs: the next activation (or reminder) releases them.
            Log.HandOverFailed(logger, exception, OrgId);
        }
    }

    private List<string> Subscribers(string audience) => _users.Values
        .Where(user => user.IsSubscribedTo(audience))
        .Select(user => user.Email)
        .Distinct(StringComparer.OrdinalIgnoreCase)
        .Order(StringComparer.OrdinalIgnoreCase)
        .ToList();

    /// <summary>For each event a user's address no longer receives (no other user with it subscribes), drop it from pending notifications.</summary>
    private async Task DropLostSubscriptionsAsync(UserProfile before, string reason)
    {
        foreach (var audience in before.NotificationEvents)
        {
            if (_users.Values.Any(user => user.IsSubscribedTo(audience) && string.Equals(user.Email, before.Email, StringComparison.OrdinalIgnoreCase))) continue;
            await Outbox.DropRecipientAsync(audience, before.Email, reason);
        }
    }
}
