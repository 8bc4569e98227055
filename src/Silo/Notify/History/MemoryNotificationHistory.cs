using System.Collections.Concurrent;
using Alerts.Contracts;
using Alerts.Grains.Notify;

namespace Alerts.Silo.Notify.History;

/// <summary>The notification log in process memory, for the unit tests (same order and cursors as the table).</summary>
public sealed class MemoryNotificationHistory : INotificationHistory
{
    private readonly ConcurrentDictionary<(string Org, string Id), NotificationView> _notifications = new();
    private readonly ConcurrentDictionary<(string Org, string Id, string Address), RecipientView> _recipients = new();

    public Task SaveAsync(string orgId, NotificationView notification, CancellationToken cancellationToken = default)
    {
        _notifications[(orgId, notification.Id)] = notification;
        return Task.CompletedTask;
    }

    public Task SaveRecipientsAsync(string orgId, string notificationId, IReadOnlyList<RecipientView> recipients, CancellationToken cancellationToken = default)
    {
        foreach (var recipient in recipients) _recipients[(orgId, notificationId, recipient.Address.ToLowerInvariant())] = recipient;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RecipientView>> RecipientsAsync(string orgId, string notificationId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RecipientView>>(_recipients.Where(pair => pair.Key.Org == orgId && pair.Key.Id == notificationId).Select(pair => pair.Value).ToList());

    public Task<RecipientView?> RecipientAsync(string orgId, string notificationId, string address, CancellationToken cancellationToken = default) =>
        Task.FromResult(_recipients.GetValueOrDefault((orgId, notificationId, address.ToLowerInvariant())));

    private readonly ConcurrentDictionary<(string Org, string Id, string Address), NotificationPayload> _personal = new();

    public Task SavePersonalAsync(string orgId, string notificationId, IReadOnlyDictionary<string, NotificationPayload> payloads, CancellationToken cancellationToken = default)
    {
        foreach (var (address, payload) in payloads) _personal[(orgId, notificationId, address.ToLowerInvariant())] = payload;
        return Task.CompletedTask;
    }

    public Task DeletePersonalAsync(string orgId, string notificationId, CancellationToken cancellationToken = default)
    {
        foreach (var key in _personal.Keys.Where(key => key.Org == orgId && key.Id == notificationId).ToList()) _personal.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    public Task<NotificationPayload?> PersonalAsync(string orgId, string notificationId, string address, CancellationToken cancellationToken = default) =>
        Task.FromResult(_personal.GetValueOrDefault((orgId, notificationId, address.ToLowerInvariant())));

    public Task<NotificationView?> GetAsync(string orgId, string notificationId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_notifications.GetValueOrDefault((orgId, notificationId)));

    public Task<NotificationPage> QueryAsync(string orgId, NotificationQuery query, CancellationToken cancellationToken = default)
    {
        var after = query.Cursor is null ? "n:" : NotificationCursor.Decode(query.Cursor) ?? throw new ArgumentException("cursor is not one this log issued", nameof(query));
        var rows = _notifications
            .Where(pair => pair.Key.Org == orgId)
            .Select(pair => (Key: NotificationCursor.Key(pair.Value.CreatedAt, pair.Value.Id), View: pair.Value))
            .Where(row => string.CompareOrdinal(row.Key, after) > 0)
            .Where(row => query.Kind is null || row.View.Kind == query.Kind)
            .Where(row => query.Status is null || row.View.Status == query.Status)
            .OrderBy(row => row.Key, StringComparer.Ordinal)
            .Take(query.Limit + 1)
            .ToList();
        var page = rows.Take(query.Limit).ToList();
        var next = rows.Count > query.Limit ? NotificationCursor.Encode(page[^1].Key) : null;
        return Task.FromResult(new NotificationPage(page.Select(row => row.View).ToList(), next));
    }
}
