using Alerts.Contracts;

namespace Alerts.Grains.Webhooks;

/// <summary>One signed POST of one message (SPEC §6.1): the body as stored, the headers of this attempt.</summary>
public sealed record WebhookRequest(string Url, string MessageId, long Timestamp, string Signature, ReadOnlyMemory<byte> Body);

/// <summary>
/// What one attempt came to: the status (null when no reply came), how long it took, why it failed, the start of the
/// reply's body and its <c>Retry-After</c>.
/// </summary>
public sealed record WebhookResponse(int? StatusCode, TimeSpan Duration, string? Error, string? Body, string? RetryAfter)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>At most this much of a reply's body is kept in the delivery log.</summary>
    public const int BodyKept = 1024;
}

/// <summary>
/// The webhook channel: sends one request and reports what happened, never throwing for a delivery it could not make
/// (refused address, timeout, connection failure, any status are all results).
/// </summary>
public interface IWebhookSender
{
    Task<WebhookResponse> SendAsync(WebhookRequest request, CancellationToken cancellationToken);

    /// <summary>Why the URL may not be called (SPEC §6.6), or null. Resolves its host now.</summary>
    Task<string?> CheckUrlAsync(string url, CancellationToken cancellationToken);
}

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
