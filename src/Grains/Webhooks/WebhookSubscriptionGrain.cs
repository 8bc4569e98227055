using Alerts.Contracts;
using Alerts.Grains.Webhooks.Delivery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Alerts.Grains.Stores;

namespace Alerts.Grains.Webhooks;

/// <summary>
/// One webhook subscription (key <c>{org}/{id}</c>, SPEC §6). Its job: the subscription's settings and secret, and the
/// state they share with its parts — the <see cref="DeliveryLoop"/> (queue, sending loop, back-offs, breaker steps;
/// woken by <see cref="WakeUps"/>) and the <see cref="OwnerNotices"/> a breaker change decides. Reentrant, so publishing
/// and reading never wait behind a slow receiver; state writes go one at a time.
/// </summary>
[Reentrant]
public sealed class WebhookSubscriptionGrain(
    [PersistentState("webhook", StorageNames.Grains)] IPersistentState<WebhookSubscriptionState> state,
    [FromKeyedServices(AlertsClock.Key)] TimeProvider clock,
    IWebhookSender sender,
    IWebhookStore store,
    IOptions<DeliveryOptions> options,
    ILogger<WebhookSubscriptionGrain> logger)
    : Grain, IWebhookSubscriptionGrain, IWebhookDelivery, IRemindable, IWebhookHost
{

    /// <summary>How long a rotated-out secret still signs beside the new one.</summary>
    public static readonly TimeSpan SecretOverlap = TimeSpan.FromHours(24);

    private WebhookSubscriptionState State => state.State;
    private DateTimeOffset Now => clock.GetUtcNow();
    private DeliveryOptions Options => options.Value;
    private (string OrgId, string WebhookId) Key => GrainKeys.Split(this.GetPrimaryKeyString());
    private string OrgId => Key.OrgId;
    private string WebhookId => Key.WebhookId;

    private readonly OneAtATime _writes = new();
    private bool _stopping;
    private bool _removed;
    private OwnerNotices _notices = null!;
    private DeliveryLoop _loop = null!;

    string IWebhookHost.OrgId => OrgId;
    string IWebhookHost.WebhookId => WebhookId;
    DateTimeOffset IWebhookHost.Now => Now;
    WebhookSubscriptionState IWebhookHost.State => State;
    DeliveryOptions IWebhookHost.Options => Options;
    IGrainFactory IWebhookHost.GrainFactory => GrainFactory;
    ILogger IWebhookHost.Logger => logger;
    bool IWebhookHost.Stopping => _stopping;
    bool IWebhookHost.Removed => _removed;
    Task IWebhookHost.SaveAsync() => SaveAsync();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _notices = new OwnerNotices(this, () => _loop.WakeUps.SyncReminderAsync());
        _loop = new DeliveryLoop(this, this, sender, store, _notices);
        if (!State.Exists) return;
        if (State.Waiting.Count > 0 || State.Notices.Count > 0) await _loop.ArmAsync();
        _notices.Start();
        _loop.Kick();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _stopping = true;
        return Task.CompletedTask;
    }

    // ---- settings -------------------------------------------------------------------------------------------------

    public Task<WebhookView?> GetAsync() => Task.FromResult(State.Exists ? State.ToView(WebhookId) : null);

    public async Task<WebhookWithSecret> CreateAsync(WebhookSetup setup)
    {
        if (State.Exists) throw new InvalidOperationException($"webhook {WebhookId} exists already");
        _removed = _stopping = false; // the same id again (the §5 URL removed, then set again)
        var now = Now;
        State.Exists = true;
        State.Platform = setup.Platform;
        State.Url = setup.Spec.Url;
        State.Events = setup.Spec.Events.ToList();
        State.Product = setup.Spec.Product;
        State.OwnerUserId = setup.Spec.OwnerUserId;
        State.KeepWhileDisabled = setup.Spec.KeepWhileDisabled;
        State.Secret = WebhookSignature.NewSecret();
        State.Apply(BreakerState.Fresh);
        State.CreatedAt = State.UpdatedAt = now;
        await SaveAsync();
        return new WebhookWithSecret(State.ToView(WebhookId), State.Secret);
    }

    public async Task ConfigurePlatformAsync(string url, IReadOnlyList<string> events)
    {
        if (!State.Exists) return;
        var moved = !string.Equals(State.Url, url, StringComparison.Ordinal);
        if (moved)
        {
            State.Url = url;
            Reenable();
        }
        State.Events = events.ToList();
        State.UpdatedAt = Now;
        await SaveAsync();
        if (moved) _loop.Kick();
    }

    public async Task<WebhookView?> UpdateAsync(WebhookPatch patch)
    {
        if (!State.Exists) return null;
        if (State.Platform && (patch.Url is not null || patch.Events is not null))
            throw ProfileRules.Invalid(patch.Url is not null ? "url" : "events",
                "of this subscription are the organization's notification-settings (webhook_url, send_webhook): change them there");
        if (patch.Url is not null)
        {
            ProfileRules.ThrowIfInvalid(WebhookRules.CheckUrl(patch.Url));
            if (await sender.CheckUrlAsync(patch.Url, CancellationToken.None) is { } refused) throw ProfileRules.Invalid("url", refused);
        }
        if (patch.Events is not null) ProfileRules.ThrowIfInvalid(WebhookRules.CheckEvents(patch.Events));
        if (patch.Product is { Length: > WebhookRules.MaxProductLength })
            throw ProfileRules.Invalid("product", $"must be at most {WebhookRules.MaxProductLength} characters");
        if (patch.OwnerUserId is not null && await GrainFactory.GetOrganization(OrgId).GetUserAsync(patch.OwnerUserId) is null)
            throw ProfileRules.Invalid("owner_user_id", "is not a user of the organization");

        // SPEC §6.5: any change of URL enables it again with its streak at 0, in the same write.
        var moved = patch.Url is not null && !string.Equals(patch.Url, State.Url, StringComparison.Ordinal);
        if (moved)
        {
            State.Url = patch.Url!;
            Reenable();
        }
        if (patch.Events is not null) State.Events = patch.Events.ToList();
        if (patch.Product is not null) State.Product = patch.Product;
        if (patch.OwnerUserId is not null) State.OwnerUserId = patch.OwnerUserId;
        if (patch.KeepWhileDisabled is { } keep) State.KeepWhileDisabled = keep;
        State.UpdatedAt = Now;
        await SaveAsync();
        if (moved) _loop.Kick();
        if (patch.Events is not null) await GrainFactory.GetGrain<IWebhookRegistryInternals>(OrgId).EventsChangedAsync(WebhookId, State.Events);
        return State.ToView(WebhookId);
    }

    public async Task<WebhookView?> EnableAsync()
    {
        if (!State.Exists) return null;
        Reenable();
        State.UpdatedAt = Now;
        await SaveAsync();
        _loop.Kick();
        return State.ToView(WebhookId);
    }

    /// <summary>
    /// SPEC §6.5: enabled with the streak at 0 in one step; a pause after the last failure is lifted too, and messages
    /// kept while it was disabled are due (the caller saves, then kicks the loop).
    /// </summary>
    private void Reenable()
    {
        State.Apply(WebhookBreaker.Enable(State.Breaker));
        State.HoldUntil = null;
        _loop.ReleaseHeld(Now);
    }

    public async Task<WebhookWithSecret?> RotateSecretAsync()
    {
        if (!State.Exists) return null;
        State.PreviousSecret = State.Secret;
        State.PreviousSecretUntil = Now + SecretOverlap;
        State.Secret = WebhookSignature.NewSecret();
        State.UpdatedAt = Now;
        await SaveAsync();
        return new WebhookWithSecret(State.ToView(WebhookId), State.Secret);
    }

    public async Task RemoveAsync()
    {
        if (!State.Exists) return;
        _stopping = true;
        _removed = true;
        await _writes.RunAsync(() => state.ClearStateAsync());
        state.State = new WebhookSubscriptionState();
        _loop.WakeUps.StopTimer();
        await _loop.WakeUps.SyncReminderAsync();
        await store.DeleteAllAsync(OrgId, WebhookId);
        DeactivateOnIdle();
    }

    // ---- deliveries (the loop's) ----------------------------------------------------------------------------------

    public Task<bool> EnqueueAsync(StoredMessage message) => _loop.EnqueueAsync(message);

    public Task<bool> ResendAsync(string messageId) => _loop.ResendAsync(messageId);

    public Task<RecoveryResult?> RecoverAsync(DateTimeOffset since) => _loop.RecoverAsync(since);

    public Task<WebhookHealthView?> HealthAsync() => _loop.HealthAsync();

    public async Task<DeliveryPage?> DeliveriesAsync(int limit, string? cursor)
    {
        if (!State.Exists) return null;
        return await store.ListAttemptsAsync(OrgId, WebhookId, Math.Clamp(limit, 1, 200), cursor);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != WakeUps.Reminder) return;
        if (!State.Exists)
        {
            await _loop.WakeUps.SyncReminderAsync();
            return;
        }
        _notices.Start();
        await _loop.PumpAsync();
    }

    private Task SaveAsync() => _writes.RunAsync(async () =>
    {
        if (_removed) return;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception exception)
        {
            Log.WriteFailed(logger, exception, $"webhook/{OrgId}/{WebhookId}");
            DeactivateOnIdle();
            throw;
        }
    });
}
