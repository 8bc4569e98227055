using System.Collections.Concurrent;
using Alerts.Contracts;
using Alerts.Grains.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Tests.Support;

/// <summary>
/// The silo's webhook store, whose writes of delivery attempts for chosen subscriptions take a while, as a table
/// under load does; everything else passes through.
/// </summary>
public sealed class SlowAttemptLog(IWebhookStore inner) : IWebhookStore
{
    /// <summary>Subscriptions (by id) whose attempts take this long to be logged.</summary>
    public static readonly ConcurrentDictionary<string, TimeSpan> Slow = new(StringComparer.Ordinal);

    /// <summary>Replaces the silo's webhook store with this wrapper around it.</summary>
    public static void Decorate(IServiceCollection services) => Support.Decorate.Service<IWebhookStore>(services, inner => new SlowAttemptLog(inner));

    public async Task AddAttemptAsync(string orgId, string webhookId, DeliveryAttempt attempt, CancellationToken cancellationToken = default)
    {
        if (Slow.TryGetValue(webhookId, out var delay)) await Task.Delay(delay, cancellationToken);
        await inner.AddAttemptAsync(orgId, webhookId, attempt, cancellationToken);
    }

    public Task SaveMessageAsync(string orgId, string webhookId, StoredMessage message, CancellationToken cancellationToken = default) =>
        inner.SaveMessageAsync(orgId, webhookId, message, cancellationToken);

    public Task<StoredMessage?> GetMessageAsync(string orgId, string webhookId, string messageId, CancellationToken cancellationToken = default) =>
        inner.GetMessageAsync(orgId, webhookId, messageId, cancellationToken);

    public Task<DeliveryPage> ListAttemptsAsync(string orgId, string webhookId, int limit, string? cursor, CancellationToken cancellationToken = default) =>
        inner.ListAttemptsAsync(orgId, webhookId, limit, cursor, cancellationToken);

    public Task<int> TrimAsync(string orgId, string webhookId, DateTimeOffset before, IReadOnlySet<string> keep, CancellationToken cancellationToken = default) =>
        inner.TrimAsync(orgId, webhookId, before, keep, cancellationToken);

    public Task DeleteAllAsync(string orgId, string webhookId, CancellationToken cancellationToken = default) =>
        inner.DeleteAllAsync(orgId, webhookId, cancellationToken);
}
