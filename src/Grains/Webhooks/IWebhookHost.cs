using Microsoft.Extensions.Logging;

namespace Alerts.Grains.Webhooks;

/// <summary>What a webhook subscription's parts may ask of the grain that owns them. Parts run on the grain's turns.</summary>
internal interface IWebhookHost
{
    string OrgId { get; }

    string WebhookId { get; }

    DateTimeOffset Now { get; }

    WebhookSubscriptionState State { get; }

    DeliveryOptions Options { get; }

    IGrainFactory GrainFactory { get; }

    ILogger Logger { get; }

    /// <summary>The activation is going away (or the subscription was removed): loops stop at their next step.</summary>
    bool Stopping { get; }

    /// <summary>The subscription was removed: nothing more is written or logged.</summary>
    bool Removed { get; }

    /// <summary>Writes the state (writes go one at a time).</summary>
    Task SaveAsync();
}
