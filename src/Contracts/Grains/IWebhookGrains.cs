namespace Alerts.Contracts;

/// <summary>
/// An organization's platform events and webhook subscriptions (SPEC §5, §6). Key: the org id. Publishing fans an event
/// out to the subscriptions that want it and e-mails its subscribers; each subscription delivers on its own.
/// </summary>
public interface IWebhookRegistryGrain : IGrainWithStringKey
{
    /// <summary>
    /// Queues the event for every enabled subscription of its type and e-mails the primary contact, the type's
    /// addresses and the users subscribed to it; durable when it returns. Publishing the same event id again adds
    /// nothing. Null when the organization does not exist. Refuses a malformed event (ArgumentException naming the field).
    /// </summary>
    Task<PublishResult?> PublishAsync(PlatformEvent platformEvent);

    /// <summary>Null when the organization does not exist.</summary>
    [ReadOnly]
    Task<NotificationSettingsView?> GetSettingsAsync();

    /// <summary>Replaces the §5 settings; the webhook URL is kept as the <see cref="WebhookRules.PlatformSubscriptionId"/> subscription.</summary>
    Task<NotificationSettingsView?> PutSettingsAsync(NotificationSettings settings);

    /// <summary>Registers a subscription (its secret shown once). Null when the organization does not exist.</summary>
    Task<WebhookWithSecret?> CreateAsync(WebhookSpec spec);

    /// <summary>Null when the organization does not exist.</summary>
    [ReadOnly]
    Task<IReadOnlyList<WebhookView>?> ListAsync();

    /// <summary>False when there was no such subscription. Its waiting deliveries are dropped.</summary>
    Task<bool> DeleteAsync(string webhookId);
}

/// <summary>One webhook subscription (key <c>{org}/{id}</c>): its settings, breaker, delivery schedule and log.</summary>
public interface IWebhookSubscriptionGrain : IGrainWithStringKey
{
    /// <summary>Null when there is no such subscription.</summary>
    [ReadOnly]
    Task<WebhookView?> GetAsync();

    /// <summary>Changes it; a new URL enables it again with its streak at 0 (SPEC §6.5). Null when there is no such subscription.</summary>
    Task<WebhookView?> UpdateAsync(WebhookPatch patch);

    /// <summary>Enables it with its streak at 0 (SPEC §6.5). Null when there is no such subscription.</summary>
    Task<WebhookView?> EnableAsync();

    /// <summary>A new secret; the previous one still signs (beside it) for a day, so receivers can switch. Null when none.</summary>
    Task<WebhookWithSecret?> RotateSecretAsync();

    /// <summary>The delivery log, newest attempt first, a page at a time. Null when there is no such subscription.</summary>
    [ReadOnly]
    Task<DeliveryPage?> DeliveriesAsync(int limit, string? cursor);

    /// <summary>
    /// Sends a message of the log again (same id, so receivers can de-duplicate), even to a disabled subscription.
    /// False when the subscription or the message is not known.
    /// </summary>
    Task<bool> ResendAsync(string messageId);

    /// <summary>
    /// Sends again, oldest first, every message whose last attempt since <paramref name="since"/> did not deliver it
    /// (failed, exhausted, dropped), as far as the queue has room. Null when there is no such subscription.
    /// </summary>
    Task<RecoveryResult?> RecoverAsync(DateTimeOffset since);

    /// <summary>Its health over the last 24 hours, from the delivery log. Null when there is no such subscription.</summary>
    [ReadOnly]
    Task<WebhookHealthView?> HealthAsync();
}

/// <summary>A user's in-app notifications (key <c>{org}/{user}</c>), the latest ones only.</summary>
public interface IUserInboxGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<InboxPage> ListAsync(bool unreadOnly);

    /// <summary>Marks one (or, with null, every) notification read. False when there is no such notification.</summary>
    Task<bool> MarkReadAsync(string? notificationId);
}
