using System.Collections.Concurrent;
using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Grains.Stores;

namespace Alerts.Storage.Memory;

/// <summary>
/// The notification log in process memory, for the unit tests and the memory-storage silo (same order and cursors as
/// the table). Indexed by organization and notification as the table's partitions are, so a lookup never scans others'.
/// </summary>
public sealed class MemoryNotificationHistory : INotificationHistory
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, NotificationView>> _notifications = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Org, string Id), ConcurrentDictionary<string, RecipientView>> _recipients = new();
    private readonly ConcurrentDictionary<(string Org, string Id), ConcurrentDictionary<string, NotificationPayload>> _personal = new();

    private static ConcurrentDictionary<string, T> Rows<T>(ConcurrentDictionary<(string Org, string Id), ConcurrentDictionary<string, T>> table, string orgId, string id) =>
        table.GetOrAdd((orgId, id), _ => new ConcurrentDictionary<string, T>(StringComparer.Ordinal));

    public Task SaveAsync(string orgId, NotificationView notification, CancellationToken cancellationToken = default)
    {
        _notifications.GetOrAdd(orgId, _ => new ConcurrentDictionary<string, NotificationView>(StringComparer.Ordinal))[notification.Id] = notification;
        return Task.CompletedTask;
    }

    public Task SaveRecipientsAsync(string orgId, string notificationId, IReadOnlyList<RecipientView> recipients, CancellationToken cancellationToken = default)
    {
        var rows = Rows(_recipients, orgId, notificationId);
        foreach (var recipient in recipients) rows[recipient.Address.ToLowerInvariant()] = recipient;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RecipientView>> RecipientsAsync(string orgId, string notificationId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RecipientView>>(_recipients.TryGetValue((orgId, notificationId), out var rows)
            ? rows.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Value).ToList()
            : []);

    public Task<RecipientView?> RecipientAsync(string orgId, string notificationId, string address, CancellationToken cancellationToken = default) =>
        Task.FromResult(_recipients.TryGetValue((orgId, notificationId), out var rows) ? rows.GetValueOrDefault(address.ToLowerInvariant()) : null);

    public Task SavePersonalAsync(string orgId, string notificationId, IReadOnlyDictionary<string, NotificationPayload> payloads, CancellationToken cancellationToken = default)
    {
        var rows = Rows(_personal, orgId, notificationId);
        foreach (var (address, payload) in payloads) rows[address.ToLowerInvariant()] = payload;
        return Task.CompletedTask;
    }

    public Task DeletePersonalAsync(string orgId, string notificationId, CancellationToken cancellationToken = default)
    {
        _personal.TryRemove((orgId, notificationId), out _);
        return Task.CompletedTask;
    }

    public Task<NotificationPayload?> PersonalAsync(string orgId, string notificationId, string address, CancellationToken cancellationToken = default) =>
        Task.FromResult(_personal.TryGetValue((orgId, notificationId), out var rows) ? rows.GetValueOrDefault(address.ToLowerInvariant()) : null);

    public Task<NotificationView?> GetAsync(string orgId, string notificationId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_notifications.TryGetValue(orgId, out var rows) ? rows.GetValueOrDefault(notificationId) : null);

    public Task<NotificationPage> QueryAsync(string orgId, NotificationQuery query, CancellationToken cancellationToken = default)
    {
        var after = query.Cursor is null ? "n:" : NotificationCursor.Decode(query.Cursor) ?? throw new ArgumentException("cursor is not one this log issued", nameof(query));
        var rows = (_notifications.TryGetValue(orgId, out var found) ? found.Values : [])
            .Select(view => (Key: NotificationCursor.Key(view.CreatedAt, view.Id), View: view))
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
