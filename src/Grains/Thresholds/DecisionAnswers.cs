using Alerts.Contracts;
using Alerts.Grains.Organization;
using Alerts.Grains.Stores;

namespace Alerts.Grains.Thresholds;

/// <summary>
/// Reads the directions' decision logs and, for a user, says what each entry meant to them: a fired alert by their row
/// in the notification log (sent, on its way, failed, left out), anything else by the outcome; and whether they are
/// subscribed at all. One point read of the log per fired entry shown, nothing kept.
/// </summary>
internal sealed class DecisionAnswers(IOrganizationHost host, People people, INotificationHistory history)
{
    public const int MaxLimit = 200;

    public async Task<IReadOnlyList<DecisionView>> ListAsync(DecisionQuery query)
    {
        var directions = query.Direction is { } only ? [only] : Directions.All;
        // Newest first; entries of one direction at the same moment keep their order (the later one first).
        var entries = directions
            .SelectMany(direction => host.State.For(direction).Decisions.Select((record, index) => (Direction: direction, Record: record, Index: index)))
            .OrderByDescending(entry => entry.Record.At).ThenByDescending(entry => entry.Index)
            .Select(entry => (entry.Direction, entry.Record))
            .Take(Math.Clamp(query.Limit, 1, MaxLimit))
            .ToList();
        var user = query.UserId is { } userId ? await people.GetAsync(userId) : null;
        var views = new List<DecisionView>(entries.Count);
        foreach (var (direction, record) in entries)
            views.Add(DecisionLog.View(direction, record, user is null ? null : await ForUserAsync(user, direction, record)));
        return views;
    }

    private async Task<DecisionForUser> ForUserAsync(UserView user, Direction direction, DecisionRecord record)
    {
        var audience = direction.ErrorEvent();
        var subscribed = user.Profile.IsSubscribedTo(audience);
        var email = user.Profile.Email;
        if (record.Outcome != DecisionOutcome.Fired || record.NotificationId is not { } notificationId)
        {
            var why = $"Nobody was alerted. {DecisionLog.Summary(record)}";
            return new DecisionForUser(false, subscribed ? why : $"{why} {NotSubscribed(user, audience)}");
        }
        var row = await history.RecipientAsync(host.OrgId, notificationId, email);
        return row?.Status switch
        {
            NotificationStatus.Sent => new DecisionForUser(true, $"Sent to {email} at {DecisionLog.Time(row.SentAt)}."),
            NotificationStatus.Pending => new DecisionForUser(false, $"On its way to {email} (attempts so far: {row.Attempts})."),
            NotificationStatus.Failed => new DecisionForUser(false, $"Could not be delivered to {email}: {row.Reply ?? "the relay refused it"}."),
            NotificationStatus.Dropped => new DecisionForUser(false, $"Left out: {row.Reply ?? "no longer subscribed or deleted while it was pending"}."),
            NotificationStatus.Cancelled => new DecisionForUser(false, $"Called off before it was sent: {row.Reply ?? "the direction was switched off"}."),
            { } other => new DecisionForUser(false, $"Not sent to {email} ({other})."),
            null when subscribed => new DecisionForUser(false,
                $"Not among its recipients: {user.UserId} subscribed to {audience} after it was decided, or had no address then."),
            null => new DecisionForUser(false, NotSubscribed(user, audience)),
        };
    }

    private static string NotSubscribed(UserView user, string audience) =>
        $"{user.UserId} is not subscribed to {audience} (their notification_events do not include it).";
}
