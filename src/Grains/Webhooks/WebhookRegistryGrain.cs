using System.Globalization;
using System.Text.Json;
using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Grains.Stores;
using Alerts.Contracts.Telemetry;

namespace Alerts.Grains.Webhooks;

/// <summary>
/// An organization's platform events (SPEC §5) and the index of its webhook subscriptions (SPEC §6): which ids exist and
/// which events each wants, so publishing reaches exactly those. The subscriptions themselves — settings, breaker,
/// queue — are their own grains. State: the §5 settings (5 event types × 20 addresses) and at most 51 index entries.
/// </summary>
public sealed class WebhookRegistryGrain(
    [PersistentState("webhooks", StorageNames.Grains)] IPersistentState<WebhookRegistryState> state,
    [Microsoft.Extensions.DependencyInjection.FromKeyedServices(AlertsClock.Key)] TimeProvider clock,
    IWebhookSender sender,
    Microsoft.Extensions.Options.IOptions<QuotaOptions> quotas)
    : Grain, IWebhookRegistryGrain, IWebhookRegistryInternals, IPlatformEmailSummary, IRemindable
{
    private const string SummaryReminder = "platform-email-summary";

    private WebhookRegistryState State => state.State;
    private string OrgId => this.GetPrimaryKeyString();
    private IOrganizationGrain Organization => GrainFactory.GetOrganization(OrgId);
    private IWebhookDelivery Subscription(string id) => GrainFactory.GetGrain<IWebhookDelivery>(GrainKeys.Integration(OrgId, id));

    public async Task<PublishResult?> PublishAsync(PlatformEvent platformEvent)
    {
        ProfileRules.ThrowIfInvalid(WebhookRules.Check(platformEvent));
        if (await Organization.GetAsync() is not { } org) return null;
        ProfileRules.ThrowIfInvalid(WebhookRules.CheckOrganizationFields(platformEvent, org.OrgId, org.Profile));
        var eventId = platformEvent.EventId ?? RandomIds.New("evt_");
        var timestamp = platformEvent.Timestamp ?? clock.GetUtcNow();
        var messageId = "msg_" + eventId;
        var fields = platformEvent.Fields;
        var message = new StoredMessage(messageId, platformEvent.EventType, clock.GetUtcNow(),
            Body(platformEvent.EventType, org, timestamp, fields));

        // Every subscription that wants it; each takes it durably, or says it is disabled (SPEC §6.4).
        var wanting = State.Subscriptions.Where(s => s.Value.Contains(platformEvent.EventType, StringComparer.Ordinal))
            .Select(s => s.Key).Order(StringComparer.Ordinal).ToList();
        var taken = await Task.WhenAll(wanting.Select(id => Subscription(id).EnqueueAsync(message)));
        var webhooks = wanting.Where((_, i) => taken[i]).ToList();

        // By e-mail, within the organization's budget for the window; past it, counted into the window's summary.
        var now = clock.GetUtcNow();
        var (budget, window) = (quotas.Value.PlatformEventEmails, quotas.Value.PlatformEventEmailWindow);
        var ended = State.EmailBudget.Roll(now, window);
        var emailed = State.EmailBudget.Take(now, budget, platformEvent.EventType, eventId);
        await SaveBudgetAsync(ended, org);
        if (!emailed)
        {
            await RemindAtWindowEndAsync(now, window);
            return new PublishResult(eventId, messageId, webhooks, 0, EmailHeldForSummary: true);
        }
        var recipients = await RecipientsAsync([platformEvent.EventType], org);
        var notice = new PlatformEventNotice(OrgId, org.Profile.Name, org.Profile.Environment, org.Profile.Production,
            platformEvent.EventType, eventId, timestamp, fields.Select(f => KeyValuePair.Create(f.Name, f.Display)).ToList());
        await GrainFactory.GetGrain<IOutboxGrain>(OrgId).EnqueueAsync(new OutboxEntry
        {
            Id = "event-" + eventId,
            Payload = notice,
            Subject = notice.Subject,
            CreatedAt = clock.GetUtcNow(),
            TraceParent = AlertsTelemetry.CurrentTraceParent(),
        }, recipients);
        return new PublishResult(eventId, messageId, webhooks, recipients.Count);
    }

    /// <summary>The primary contact always, the types' addresses, and the users subscribed to the types, each once.</summary>
    private async Task<List<string>> RecipientsAsync(IReadOnlyList<string> eventTypes, OrganizationView org)
    {
        var addresses = new List<string?> { org.Profile.PrimaryContact };
        foreach (var eventType in eventTypes)
        {
            addresses.AddRange(await Organization.SubscribedEmailsAsync(eventType));
            addresses.AddRange(State.Settings.For(eventType).Emails);
        }
        return addresses.OfType<string>()
            .Select(address => Recipient.Email(address).Key)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>The summary of a window's folded events, to everyone any of them would have e-mailed (once per window).</summary>
    private async Task SummarizeAsync(FoldedWindow ended, OrganizationView org)
    {
        var summary = new PlatformEventSummary(OrgId, org.Profile.Name, org.Profile.Environment, org.Profile.Production,
            ended.Start, ended.End, ended.Events, quotas.Value.PlatformEventEmails);
        var recipients = await RecipientsAsync(ended.Events.Select(e => e.EventType).ToList(), org);
        await GrainFactory.GetGrain<IOutboxGrain>(OrgId).EnqueueAsync(new OutboxEntry
        {
            Id = "event-summary-" + ended.Start.UtcTicks.ToString(CultureInfo.InvariantCulture),
            Payload = summary,
            Subject = summary.Subject,
            CreatedAt = clock.GetUtcNow(),
            TraceParent = AlertsTelemetry.CurrentTraceParent(),
        }, recipients);
    }

    /// <summary>A reminder at the end of the window, so its summary goes even if nothing is published after it.</summary>
    private async Task RemindAtWindowEndAsync(DateTimeOffset now, TimeSpan window)
    {
        if (State.EmailBudget.SummaryDue(window) is not { } due) return;
        var wait = due - now;
        await this.RegisterOrUpdateReminder(SummaryReminder, wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1), window);
    }

    /// <summary>
    /// Hands an ended window's summary to the outbox (which ignores an id it has), then stores the budget; if either
    /// fails, this activation goes so that the next one starts from what is stored and hands the summary over again.
    /// </summary>
    private async Task SaveBudgetAsync(FoldedWindow? ended, OrganizationView org)
    {
        try
        {
            if (ended is not null) await SummarizeAsync(ended, org);
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    public async Task SendDueSummaryAsync()
    {
        if (await Organization.GetAsync() is not { } org) return;
        var ended = State.EmailBudget.Roll(clock.GetUtcNow(), quotas.Value.PlatformEventEmailWindow);
        if (ended is not null) await SaveBudgetAsync(ended, org);
        if (State.EmailBudget.Folded.Count == 0 && await this.GetReminder(SummaryReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == SummaryReminder ? SendDueSummaryAsync() : Task.CompletedTask;

    /// <summary>
    /// The delivered JSON (SPEC §5): the common fields, then the type's, in their documented order, each with its documented
    /// JSON type (ids as integers). Only for an organization with an <c>account_id</c>.
    /// </summary>
    public static byte[] Body(string eventType, OrganizationView org, DateTimeOffset timestamp, IEnumerable<PlatformField> fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("event_type", eventType);
            json.WriteString("environment", org.Profile.Environment);
            json.WriteNumber("account_id", org.Profile.AccountId ?? throw new InvalidOperationException("an organization without an account_id publishes no event"));
            json.WriteString("account_name", org.Profile.Name);
            json.WriteString("timestamp", Rfc3339(timestamp));
            foreach (var field in fields)
            {
                if (field.Kind == PlatformFieldKind.Id) json.WriteNumber(field.Name, field.Number);
                else json.WriteString(field.Name, field.Text);
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>UTC with a Z, whole seconds unless the time has a fraction.</summary>
    public static string Rfc3339(DateTimeOffset at) =>
        at.UtcDateTime.ToString(at.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public async Task<NotificationSettingsView?> GetSettingsAsync()
    {
        if (await Organization.GetAsync() is null) return null;
        return new NotificationSettingsView(State.Settings,
            State.Subscriptions.ContainsKey(WebhookRules.PlatformSubscriptionId) ? WebhookRules.PlatformSubscriptionId : null, null);
    }

    public async Task<NotificationSettingsView?> PutSettingsAsync(NotificationSettings settings)
    {
        ProfileRules.ThrowIfInvalid(WebhookRules.Check(settings));
        if (await Organization.GetAsync() is null) return null;
        if (settings.WebhookUrl is { } url && await sender.CheckUrlAsync(url, CancellationToken.None) is { } refused)
            throw ProfileRules.Invalid("webhook_url", refused);

        const string id = WebhookRules.PlatformSubscriptionId;
        string? secret = null;
        if (settings.WebhookUrl is { } webhookUrl)
        {
            var events = settings.Events.Where(e => e.Value.SendWebhook).Select(e => e.Key).Order(StringComparer.Ordinal).ToList();
            if (State.Subscriptions.ContainsKey(id))
            {
                await Subscription(id).ConfigurePlatformAsync(webhookUrl, events);
            }
            else
            {
                secret = (await Subscription(id).CreateAsync(new WebhookSetup(new WebhookSpec(webhookUrl, events, "platform", null), Platform: true))).Secret;
            }
            State.Subscriptions[id] = events;
        }
        else if (State.Subscriptions.Remove(id))
        {
            await Subscription(id).RemoveAsync();
        }
        State.Settings = settings;
        await state.WriteStateAsync();
        return new NotificationSettingsView(settings, State.Subscriptions.ContainsKey(id) ? id : null, secret);
    }

    public async Task<WebhookWithSecret?> CreateAsync(WebhookSpec spec)
    {
        ProfileRules.ThrowIfInvalid(WebhookRules.Check(spec));
        if (await Organization.GetAsync() is null) return null;
        var limit = Math.Min(quotas.Value.Webhooks, WebhookRules.MaxSubscriptionsPerOrganization);
        if (State.Subscriptions.Keys.Count(k => k != WebhookRules.PlatformSubscriptionId) >= limit) throw QuotaOptions.Reached("webhooks", limit, "webhook subscriptions");
        if (spec.OwnerUserId is { } owner && await Organization.GetUserAsync(owner) is null)
            throw ProfileRules.Invalid("owner_user_id", "is not a user of the organization");
        if (await sender.CheckUrlAsync(spec.Url, CancellationToken.None) is { } refused) throw ProfileRules.Invalid("url", refused);
        var id = RandomIds.New("wh_");
        var created = await Subscription(id).CreateAsync(new WebhookSetup(spec, Platform: false));
        State.Subscriptions[id] = spec.Events.ToList();
        await state.WriteStateAsync();
        return created;
    }

    public async Task<IReadOnlyList<WebhookView>?> ListAsync()
    {
        if (await Organization.GetAsync() is null) return null;
        var views = await Task.WhenAll(State.Subscriptions.Keys.Select(id => GrainFactory.GetWebhook(OrgId, id).GetAsync()));
        return views.OfType<WebhookView>().OrderBy(v => v.CreatedAt).ThenBy(v => v.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<bool> DeleteAsync(string webhookId)
    {
        if (!State.Subscriptions.ContainsKey(webhookId)) return false;
        if (webhookId == WebhookRules.PlatformSubscriptionId)
            throw ProfileRules.Invalid("webhook_id", "is the organization's webhook_url: remove it in notification-settings");
        await Subscription(webhookId).RemoveAsync();
        State.Subscriptions.Remove(webhookId);
        await state.WriteStateAsync();
        return true;
    }

    public async Task EventsChangedAsync(string webhookId, IReadOnlyList<string> events)
    {
        if (!State.Subscriptions.ContainsKey(webhookId)) return;
        State.Subscriptions[webhookId] = events.ToList();
        await state.WriteStateAsync();
    }
}
