using Alerts.Contracts;
using Alerts.Grains.Stores;

namespace Alerts.Grains.Webhooks;

/// <summary>
/// A subscription's stored state: its settings, its breaker, and the schedule of its waiting messages (ids and times; the
/// bodies and the log of attempts are in <see cref="IWebhookStore"/>). Bounded by <see cref="DeliveryOptions.MaxPending"/>
/// waiting messages of ~250 bytes and <see cref="RecentLimit"/> ids.
/// </summary>
[GenerateSerializer, Alias("alerts.webhook-subscription-state")]
public sealed class WebhookSubscriptionState
{
    public const int RecentLimit = 256;

    [Id(0)] public bool Exists { get; set; }
    /// <summary>Backs the organization's §5 <c>webhook_url</c> (its settings come from there).</summary>
    [Id(1)] public bool Platform { get; set; }
    [Id(2)] public string Url { get; set; } = "";
    [Id(3)] public List<string> Events { get; set; } = [];
    [Id(4)] public string? Product { get; set; }
    [Id(5)] public string? OwnerUserId { get; set; }
    [Id(6)] public string Secret { get; set; } = "";
    /// <summary>The secret before the last rotation, which still signs beside the new one until <see cref="PreviousSecretUntil"/>.</summary>
    [Id(7)] public string? PreviousSecret { get; set; }
    [Id(8)] public DateTimeOffset? PreviousSecretUntil { get; set; }
    [Id(9)] public bool Enabled { get; set; }
    [Id(10)] public int ConsecutiveFailures { get; set; }
    [Id(11)] public string? DisabledReason { get; set; }
    [Id(12)] public DateTimeOffset? DisabledAt { get; set; }
    [Id(13)] public bool Warned { get; set; }
    [Id(14)] public bool ReEnabled { get; set; }
    [Id(15)] public DateTimeOffset CreatedAt { get; set; }
    [Id(16)] public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Messages not yet delivered, exhausted or dropped, oldest first.</summary>
    [Id(17)] public List<WaitingMessage> Waiting { get; set; } = [];
    /// <summary>Ids of the latest messages that left the schedule, so the same event published again is not sent again.</summary>
    [Id(18)] public List<string> Recent { get; set; } = [];
    [Id(19)] public DateTimeOffset? LastAttemptAt { get; set; }
    [Id(20)] public int? LastStatus { get; set; }
    [Id(21)] public string? LastError { get; set; }
    /// <summary>Notices for the owner decided with the breaker's change and not yet handed to the outbox and the inbox.</summary>
    [Id(22)] public List<OwnerNotice> Notices { get; set; } = [];
    [Id(23)] public int NoticesDecided { get; set; }
    /// <summary>
    /// After a failure nothing is sent before this: the failed message's back-off, at most <see cref="DeliveryOptions.PauseAfterFailure"/>,
    /// or the receiver's <c>Retry-After</c> whole. A burst of events meeting an outage does not run the streak up in a second.
    /// </summary>
    [Id(24)] public DateTimeOffset? HoldUntil { get; set; }
    /// <summary>When the delivery log was last trimmed (<see cref="DeliveryOptions.LogRetention"/>), at most daily.</summary>
    [Id(25)] public DateTimeOffset? TrimmedAt { get; set; }
    /// <summary>New events are kept (held, not sent) while disabled and go when it is enabled again.</summary>
    [Id(26)] public bool KeepWhileDisabled { get; set; }
    /// <summary>Messages dropped because the queue was full since the subscription was last disabled.</summary>
    [Id(27)] public int DroppedWhileDisabled { get; set; }

    public BreakerState Breaker => new(Enabled, ConsecutiveFailures, DisabledReason, DisabledAt, Warned, ReEnabled);

    public void Apply(BreakerState breaker)
    {
        Enabled = breaker.Enabled;
        ConsecutiveFailures = breaker.ConsecutiveFailures;
        DisabledReason = breaker.DisabledReason;
        DisabledAt = breaker.DisabledAt;
        Warned = breaker.Warned;
        ReEnabled = breaker.ReEnabled;
    }

    public WebhookView ToView(string id) => new(
        id, Url, Events, Product, OwnerUserId, Enabled, ConsecutiveFailures, DisabledReason, DisabledAt, CreatedAt, UpdatedAt,
        Waiting.Count(w => !w.Held), Platform, LastAttemptAt, LastError, KeepWhileDisabled, Waiting.Count(w => w.Held), DroppedWhileDisabled);
}

[GenerateSerializer, Alias("alerts.waiting-webhook-message")]
public sealed class WaitingMessage
{
    [Id(0)] public string MessageId { get; set; } = "";
    [Id(1)] public string EventType { get; set; } = "";
    [Id(2)] public DateTimeOffset QueuedAt { get; set; }
    [Id(3)] public int Attempts { get; set; }
    [Id(4)] public DateTimeOffset NextAttemptAt { get; set; }
    [Id(5)] public DateTimeOffset? FirstAttemptAt { get; set; }

    /// <summary>The W3C <c>traceparent</c> of the request that queued it (null when untraced): its attempts continue that trace.</summary>
    [Id(6)] public string? TraceParent { get; set; }

    /// <summary>Taken while the subscription was disabled: not sent, and not due, until it is enabled again.</summary>
    [Id(7)] public bool Held { get; set; }
}

/// <summary>A notice to the owner as decided: which, and what the breaker knew then.</summary>
[GenerateSerializer, Immutable, Alias("alerts.webhook-owner-notice")]
public sealed record OwnerNotice(
    [property: Id(0)] string Id,
    [property: Id(1)] NotificationKind Kind,
    [property: Id(2)] string Url,
    [property: Id(3)] int ConsecutiveFailures,
    [property: Id(4)] int? LastStatus,
    [property: Id(5)] string? LastError,
    [property: Id(6)] DateTimeOffset At);

/// <summary>How a subscription is created: by the registry, for a platform or for the organization's §5 URL.</summary>
[GenerateSerializer, Immutable, Alias("alerts.webhook-setup")]
public sealed record WebhookSetup(
    [property: Id(0)] WebhookSpec Spec,
    [property: Id(1)] bool Platform);

/// <summary>The registry's side of a subscription (not part of the public contract).</summary>
public interface IWebhookDelivery : IGrainWithStringKey
{
    /// <summary>Creates the subscription with a new secret.</summary>
    Task<WebhookWithSecret> CreateAsync(WebhookSetup setup);

    /// <summary>The organization's §5 URL and events changed (a new URL enables it again, like any URL change).</summary>
    Task ConfigurePlatformAsync(string url, IReadOnlyList<string> events);

    /// <summary>
    /// Queues a message (durable when it returns) and starts sending it. False when it is not taken: no such subscription,
    /// disabled (SPEC §6.4) unless it keeps new events while disabled (then held until enabled), or not one of its events.
    /// </summary>
    Task<bool> EnqueueAsync(StoredMessage message);

    /// <summary>Deletes the subscription, its waiting messages and its log.</summary>
    Task RemoveAsync();
}

/// <summary>How a subscription keeps the registry's index of who wants which events (not part of the public contract).</summary>
public interface IWebhookRegistryInternals : IGrainWithStringKey
{
    Task EventsChangedAsync(string webhookId, IReadOnlyList<string> events);
}

[GenerateSerializer, Alias("alerts.webhook-registry-state")]
public sealed class WebhookRegistryState
{
    [Id(0)] public NotificationSettings Settings { get; set; } = NotificationSettings.Empty;

    /// <summary>Subscription ids and the events each wants: at most <see cref="WebhookRules.MaxSubscriptionsPerOrganization"/> + 1.</summary>
    [Id(1)] public Dictionary<string, List<string>> Subscriptions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Platform events e-mailed in the current window and those folded into its summary (at most one entry per type).</summary>
    [Id(2)] public PlatformEmailBudget EmailBudget { get; set; } = new();
}

/// <summary>The end of a window of the platform-event e-mail budget, as its reminder runs it (tests call it too).</summary>
public interface IPlatformEmailSummary : IGrainWithStringKey
{
    /// <summary>Sends the summary of a window that has ended, if anything was folded in it.</summary>
    Task SendDueSummaryAsync();
}

/// <summary>How a subscription leaves a notice in a user's feed (not part of the public contract).</summary>
public interface IUserInbox : IGrainWithStringKey
{
    /// <summary>Adds it unless an item with its id is there already.</summary>
    Task AddAsync(InboxItem item);
}

[GenerateSerializer, Alias("alerts.inbox-state")]
public sealed class InboxState
{
    public const int Limit = 100;

    /// <summary>Newest first, at most <see cref="Limit"/>.</summary>
    [Id(0)] public List<InboxItem> Items { get; set; } = [];
}
