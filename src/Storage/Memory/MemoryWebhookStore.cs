using System.Collections.Concurrent;
using System.Globalization;
using Alerts.Contracts;
using Alerts.Grains.Webhooks;
using Alerts.Grains.Stores;
using Alerts.Storage.AzureTable;
using Azure.Data.Tables;

namespace Alerts.Storage.Memory;

/// <summary>The same in process memory, for the unit tests (same order and cursors).</summary>
public sealed class MemoryWebhookStore : IWebhookStore
{
    private readonly ConcurrentDictionary<(string Org, string Webhook, string Id), StoredMessage> _messages = new();
    private readonly ConcurrentDictionary<(string Org, string Webhook, string Key), DeliveryAttempt> _attempts = new();

    public Task SaveMessageAsync(string orgId, string webhookId, StoredMessage message, CancellationToken cancellationToken = default)
    {
        _messages[(orgId, webhookId, message.MessageId)] = message;
        return Task.CompletedTask;
    }

    public Task<StoredMessage?> GetMessageAsync(string orgId, string webhookId, string messageId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_messages.GetValueOrDefault((orgId, webhookId, messageId)));

    public Task AddAttemptAsync(string orgId, string webhookId, DeliveryAttempt attempt, CancellationToken cancellationToken = default)
    {
        _attempts[(orgId, webhookId, AzureTableWebhookStore.AttemptKey(attempt))] = attempt;
        return Task.CompletedTask;
    }

    public Task<DeliveryPage> ListAttemptsAsync(string orgId, string webhookId, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        var after = cursor is null ? "a:" : AzureTableWebhookStore.DecodeCursor(cursor);
        var rows = _attempts.Where(p => p.Key.Org == orgId && p.Key.Webhook == webhookId && string.CompareOrdinal(p.Key.Key, after) > 0)
            .OrderBy(p => p.Key.Key, StringComparer.Ordinal).Take(limit + 1).ToList();
        var page = rows.Take(limit).ToList();
        return Task.FromResult(new DeliveryPage(page.Select(p => p.Value).ToList(), rows.Count > limit ? NotificationCursor.Encode(page[^1].Key.Key) : null));
    }

    public Task<int> TrimAsync(string orgId, string webhookId, DateTimeOffset before, IReadOnlySet<string> keep, CancellationToken cancellationToken = default)
    {
        var removed = 0;
        foreach (var (key, attempt) in _attempts.Where(p => p.Key.Org == orgId && p.Key.Webhook == webhookId && p.Value.At < before).ToList())
            removed += _attempts.TryRemove(key, out _) ? 1 : 0;
        foreach (var (key, message) in _messages.Where(p => p.Key.Org == orgId && p.Key.Webhook == webhookId && p.Value.CreatedAt < before && !keep.Contains(p.Key.Id)).ToList())
            removed += _messages.TryRemove(key, out _) ? 1 : 0;
        return Task.FromResult(removed);
    }

    public Task DeleteAllAsync(string orgId, string webhookId, CancellationToken cancellationToken = default)
    {
        foreach (var key in _messages.Keys.Where(k => k.Org == orgId && k.Webhook == webhookId)) _messages.TryRemove(key, out _);
        foreach (var key in _attempts.Keys.Where(k => k.Org == orgId && k.Webhook == webhookId)) _attempts.TryRemove(key, out _);
        return Task.CompletedTask;
    }
}
