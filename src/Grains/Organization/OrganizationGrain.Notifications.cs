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

    private bool _handingOver;

    /// <summary>
    /// Enqueues the decisions, held, to the recipients subscribed to them now. A failure leaves them in the snapshot's
    /// hand-overs, which the snapshot timer hands over again. A decision whose direction was switched off meanwhile
    /// (no longer a hand-over) is not enqueued.
    /// </summary>
    private async Task EnqueueHeldAsync(IEnumerable<OutboxEntry> entries)
    {
        try
        {
            foreach (var entry in entries)
            {
                if (!State.HandOvers.Contains(entry)) continue;
                entry.Held = true;
                await Outbox.EnqueueAsync(entry, Subscribers(entry.Payload.Audience));
            }
        }
        catch (Exception exception)
        {
            Log.HandOverFailed(logger, exception, OrgId);
        }
    }

    /// <summary>
    /// Hands decisions over: enqueued (again: the outbox ignores ids it knows), then released once the errors behind
    /// them are in the log, then forgotten. Runs after a decision, after an activation, and from the snapshot timer while
    /// any hand-over is left, so a decision is never stuck held.
    /// </summary>
    private async Task HandOverAsync(List<OutboxEntry> entries, long sequence)
    {
        _handingOver = true;
        try
        {
            await EnqueueHeldAsync(entries);
            // A threshold e-mail's CSV reads the errors behind it: it waits until they are logged. Other kinds need not.
            if (entries.Any(entry => entry.Payload is ThresholdAlert)) await WaitForProjectionAsync(sequence);
            foreach (var entry in entries)
            {
                if (!State.HandOvers.Contains(entry)) continue;
                await Outbox.ReleaseAsync(entry.Id);
                State.HandOvers.Remove(entry);
            }
        }
        catch (Exception exception)
        {
            Log.HandOverFailed(logger, exception, OrgId);
        }
        finally
        {
            _handingOver = false;
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
        var audiences = before.NotificationEvents
            .Append(UserProfile.DigestAudience)
            .Concat(before.Follows.Connections.Select(UserProfile.ConnectionAudience))
            .Where(before.IsSubscribedTo);
        foreach (var audience in audiences)
        {
            if (_users.Values.Any(user => user.IsSubscribedTo(audience) && string.Equals(user.Email, before.Email, StringComparison.OrdinalIgnoreCase))) continue;
            await Outbox.DropRecipientAsync(audience, before.Email, reason);
        }
    }
}
