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
