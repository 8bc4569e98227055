using Alerts.Contracts;
using Alerts.Contracts.Telemetry;
using Alerts.Grains.Notify;
using Alerts.Grains.Targets;
using Alerts.Grains.Webhooks;
using Microsoft.Extensions.Logging;

namespace Alerts.Silo.Notify.Channels.Chat;

/// <summary>
/// Delivery targets of one type (issue 22, item 1): recipients <c>{type} {target id}</c>. A payload is rendered once
/// per pass as a <see cref="ChatMessage"/>; each send reads the target's URL (and secret) from the organization's
/// targets at that moment, lays the message out for the type, posts it through the webhook sender (the same SSRF guard,
/// timeout and connect-time address check as webhook subscriptions), and reports the result to the target's breaker.
/// A 2xx is delivered; 408, 429, 5xx and no reply are retried by the outbox; any other 4xx (a deleted Slack webhook
/// answers 404 or 410) and a refused address fail for good. Every result but a 429 feeds the breaker.
/// </summary>
public sealed partial class TargetChannel(TargetType type, ChatRenderer renderer, IWebhookSender sender, IGrainFactory grains, TimeProvider clock,
    ILogger<TargetChannel> logger) : NotificationChannel<ChatMessage>
{
    public override string Name => type.Wire();

    /// <summary>Each type has its own relay limit (<c>Alerts:Email:Relays:{slack|teams|webhook-target}</c>).</summary>
    public override string Relay => RelayOf(type);

    public static string RelayOf(TargetType type) => type == TargetType.Webhook ? "webhook-target" : type.Wire();

    protected override Task<ChatMessage> RenderAsync(OutboxPass pass, NotificationPayload payload, CancellationToken cancellationToken) =>
        renderer.RenderAsync(pass, payload, cancellationToken);

    /// <summary>The body a target of this type is sent.</summary>
    public static byte[] Body(TargetType type, ChatMessage message, DateTimeOffset at) => type switch
    {
        TargetType.Slack => SlackBlocks.Format(message),
        TargetType.Teams => TeamsCard.Format(message),
        _ => JsonTargetBody.Format(message, at),
    };

    protected override async Task<RecipientResult> SendAsync(ChatMessage message, string address, string messageId, CancellationToken cancellationToken)
    {
        var targets = grains.GetGrain<ITargetDelivery>(message.OrgId);
        var target = await targets.ResolveAsync(address);
        if (target is null) return new RecipientResult(address, RecipientOutcome.PermanentFailure, "the delivery target was deleted");
        if (!target.Enabled)
            return new RecipientResult(address, RecipientOutcome.PermanentFailure, "the delivery target is disabled after failing six times in a row; enable it to post again");

        var now = clock.GetUtcNow();
        var body = Body(type, message, now);
        var timestamp = now.ToUnixTimeSeconds();
        var signature = target.Secret is { } secret ? WebhookSignature.Sign(secret, messageId, timestamp, body) : "";
        WebhookResponse response;
        // A span of our own with the URL masked; the HTTP client's span is suppressed, as it would record the whole URL,
        // whose path is the credential of a Slack or Teams webhook.
        using (var span = AlertsTelemetry.Source.StartActivity("alerts.target.post", System.Diagnostics.ActivityKind.Client))
        {
            span?.SetTag("alerts.org", message.OrgId);
            span?.SetTag("alerts.target", address);
            span?.SetTag("url.full", TargetRules.Masked(target.Url));
            using (OpenTelemetry.SuppressInstrumentationScope.Begin())
                response = await sender.SendAsync(new WebhookRequest(target.Url, messageId, timestamp, signature, body), cancellationToken);
            span?.SetTag("http.response.status_code", response.StatusCode);
            if (!response.Succeeded) span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
        }

        var reply = response.StatusCode is { } status
            ? $"HTTP {status}{(string.IsNullOrWhiteSpace(response.Body) || response.Succeeded ? "" : ": " + NotificationText.OneLine(response.Body))}"
            : response.Error ?? "no reply";
        var outcome = response.Succeeded ? RecipientOutcome.Delivered
            : response.StatusCode is null ? (response.Error?.StartsWith("refused", StringComparison.Ordinal) == true || response.Error?.StartsWith("url", StringComparison.Ordinal) == true
                ? RecipientOutcome.PermanentFailure : RecipientOutcome.TransientFailure)
            : response.StatusCode is 408 or 429 or >= 500 ? RecipientOutcome.TransientFailure
            : RecipientOutcome.PermanentFailure;
        try
        {
            // "Slow down" (429) says the receiver is there: retried, but not counted toward disabling the target.
            if (response.StatusCode != 429) await targets.AttemptedAsync(address, response.Succeeded, response.Succeeded ? null : reply, response.StatusCode);
        }
        catch (Exception exception)
        {
            LogBreakerFailed(logger, exception, message.OrgId, address);
        }
        return new RecipientResult(address, outcome, reply.Length > 500 ? reply[..500] : reply);
    }

    [LoggerMessage(2311, LogLevel.Warning, "Organization {OrgId}: recording a send to delivery target {TargetId} failed; its breaker missed one result")]
    private static partial void LogBreakerFailed(ILogger logger, Exception exception, string orgId, string targetId);
}
