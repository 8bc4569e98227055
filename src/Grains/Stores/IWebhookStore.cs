using Alerts.Contracts;

namespace Alerts.Grains.Stores;

/// <summary>
/// Message bodies and the delivery log of each subscription, kept outside its grain state (a table): the state holds
/// only the schedule of waiting messages, so it stays small however many attempts there were.
/// </summary>
public interface IWebhookStore
{
    Task SaveMessageAsync(string orgId, string webhookId, StoredMessage message, CancellationToken cancellationToken = default);

    Task<StoredMessage?> GetMessageAsync(string orgId, string webhookId, string messageId, CancellationToken cancellationToken = default);

    Task AddAttemptAsync(string orgId, string webhookId, DeliveryAttempt attempt, CancellationToken cancellationToken = default);

    /// <summary>Newest first; the cursor is the last item's position, opaque.</summary>
    Task<DeliveryPage> ListAttemptsAsync(string orgId, string webhookId, int limit, string? cursor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes attempts made before <paramref name="before"/> and messages created before it, except those in
    /// <paramref name="keep"/> (still waiting). Returns how many rows went.
    /// </summary>
    Task<int> TrimAsync(string orgId, string webhookId, DateTimeOffset before, IReadOnlySet<string> keep, CancellationToken cancellationToken = default);

    /// <summary>Forgets a deleted subscription's messages and log.</summary>
    Task DeleteAllAsync(string orgId, string webhookId, CancellationToken cancellationToken = default);
}

/// <summary>A message as it was first queued: the body every attempt sends (UTF-8 JSON).</summary>
[GenerateSerializer, Immutable, Alias("alerts.stored-webhook-message")]
public sealed record StoredMessage(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string EventType,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] byte[] Body);
