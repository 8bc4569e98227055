using System.Globalization;
using System.Text.Json;
using Alerts.Api.Auth;
using Alerts.Api.Http;
using Alerts.Contracts;

namespace Alerts.Api.Resources;

/// <summary>
/// SPEC §5 and §6 over HTTP: platform events published by the platform, the organization's notification settings (its
/// <c>webhook_url</c> and per-type e-mail subscribers), webhook subscriptions with their delivery log, and users' in-app
/// notifications.
/// </summary>
public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        var events = api.MapGroup("/orgs/{org_id}").WithTags("Platform events");
        events.MapPost("/platform-events", PublishAsync).WithName("PublishPlatformEvent").Refusals().Takes<PlatformEventRequest>()
            .WithSummary("Publishes a platform event (SPEC §5): delivered to the webhooks that want it and e-mailed to its subscribers.")
            .Needs(Access.Report);
        events.MapGet("/notification-settings", GetSettingsAsync).WithName("GetNotificationSettings").Refusals()
            .WithSummary("Reads the organization's webhook_url and, per event type, send_webhook and e-mail subscribers.");
        events.MapPut("/notification-settings", PutSettingsAsync).WithName("PutNotificationSettings").Refusals().Takes<NotificationSettingsRequest>()
            .WithSummary("Replaces the organization's webhook_url and per event type settings.");

        var webhooks = api.MapGroup("/orgs/{org_id}/webhooks").WithTags("Webhooks");
        webhooks.MapPost("/", CreateAsync).WithName("CreateWebhook").Refusals().Takes<WebhookRequestBody>().WithSummary("Registers a webhook subscription; its secret is shown once.");
        webhooks.MapGet("/", ListAsync).WithName("ListWebhooks").Refusals().WithSummary("Lists the organization's webhook subscriptions by id, a page at a time: " + Paging.Help + ".");
        webhooks.MapGet("/{webhook_id}", GetAsync).WithName("GetWebhook").Refusals().WithSummary("Reads a subscription: state, streak, disabled reason.");
        webhooks.MapPatch("/{webhook_id}", PatchAsync).WithName("PatchWebhook").Refusals().Takes<WebhookRequestBody>()
            .WithSummary("Changes a subscription; a new URL enables it again with its streak at 0.");
        webhooks.MapDelete("/{webhook_id}", DeleteAsync).WithName("DeleteWebhook").Refusals().WithSummary("Deletes a subscription and its waiting deliveries.");
        webhooks.MapPost("/{webhook_id}/enable", EnableAsync).WithName("EnableWebhook").Refusals().WithSummary("Enables a subscription with its streak at 0.");
        webhooks.MapPost("/{webhook_id}/rotate-secret", RotateAsync).WithName("RotateWebhookSecret").Refusals()
            .WithSummary("Issues a new secret; the previous one keeps signing beside it for 24 hours.");
        webhooks.MapGet("/{webhook_id}/deliveries", DeliveriesAsync).WithName("ListWebhookDeliveries").Refusals()
            .WithSummary("The delivery log, newest attempt first: ?limit=&cursor=.");
        webhooks.MapPost("/{webhook_id}/deliveries/{message_id}/resend", ResendAsync).WithName("ResendWebhookMessage").Refusals()
            .WithSummary("Sends a logged message again, with the same webhook-id.");
        webhooks.MapGet("/{webhook_id}/health", HealthAsync).WithName("GetWebhookHealth").Refusals()
            .WithSummary("The last 24 hours from the delivery log: attempts, delivered, success rate, p50/p99 latency in ms, the last delivery.");
        webhooks.MapPost("/{webhook_id}/recover", RecoverAsync).WithName("RecoverWebhookMessages").Refusals().Takes<RecoverRequestBody>()
            .WithSummary("Sends again, oldest first, every message whose last attempt since `since` failed, ran out of retries or was dropped; 409 while the subscription is disabled.");

        // A key tied to a user reads and marks only that user's inbox.
        var inbox = api.MapGroup("/orgs/{org_id}/users/{user_id}/notifications").WithTags("In-app notifications").Personal();
        inbox.MapGet("/", InboxAsync).WithName("ListInAppNotifications").Refusals().WithSummary("A user's in-app notifications and unread count: ?unread=true.");
        // Reading one's notifications changes nothing of the organization's: monitors may.
        inbox.MapPost("/read", ReadAllAsync).WithName("MarkAllInAppNotificationsRead").Refusals().WithSummary("Marks every in-app notification read.").Needs(Access.Read);
        inbox.MapPost("/{notification_id}/read", ReadAsync).WithName("MarkInAppNotificationRead").Refusals().WithSummary("Marks one in-app notification read.").Needs(Access.Read);
        return api;
    }

    public static async Task<Results<Accepted<PublishResponse>, ProblemHttpResult>> PublishAsync(string org_id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        var (body, problem) = await JsonBody.ReadAsync<Dictionary<string, JsonElement>>(request, cancellationToken);
        if (problem is not null) return problem;
        var parsed = PlatformEventBody.Read(body!);
        if (parsed.Problem is { } invalid) return Problems.Invalid(invalid);
        var platformEvent = parsed.Value!;

        var result = await grains.GetWebhookRegistry(org_id).PublishAsync(platformEvent);
        return result is null
            ? Problems.NotFound("organization", org_id)
            : TypedResults.Accepted((string?)null, new PublishResponse(result.EventId, result.MessageId, result.Webhooks, result.EmailRecipients, result.EmailHeldForSummary));
    }

    public static async Task<Results<Ok<NotificationSettingsResponse>, ProblemHttpResult>> GetSettingsAsync(string org_id, IGrainFactory grains, System.Security.Claims.ClaimsPrincipal user)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        return await grains.GetWebhookRegistry(org_id).GetSettingsAsync() is { } view
            ? TypedResults.Ok(NotificationSettingsResponse.From(view, masked: !AccessClaims.SeesSecrets(user)))
            : Problems.NotFound("organization", org_id);
    }

    public static async Task<Results<Ok<NotificationSettingsResponse>, ProblemHttpResult>> PutSettingsAsync(string org_id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        var (body, problem) = await JsonBody.ReadAsync<NotificationSettingsRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var events = new Dictionary<string, PlatformEventSettings>(StringComparer.Ordinal);
        foreach (var (type, perType) in body!.Events ?? [])
        {
            if (perType is null) return Problems.Invalid($"events.{type}", "must be an object");
            events[type] = new PlatformEventSettings(perType.SendWebhook ?? false, WebhookRules.SplitEmails(perType.Emails));
        }
        var settings = new NotificationSettings(string.IsNullOrEmpty(body.WebhookUrl) ? null : body.WebhookUrl, events);
        if (WebhookRules.Check(settings) is { } invalid) return Problems.Invalid(invalid);
        return await grains.GetWebhookRegistry(org_id).PutSettingsAsync(settings) is { } view
            ? TypedResults.Ok(NotificationSettingsResponse.From(view))
            : Problems.NotFound("organization", org_id);
    }

    public static async Task<Results<Created<WebhookResponse>, ProblemHttpResult>> CreateAsync(string org_id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        var (body, problem) = await JsonBody.ReadAsync<WebhookRequestBody>(request, cancellationToken);
        if (problem is not null) return problem;
        if (body!.Events is null) return Problems.Invalid("events", "is required");
        if (WebhookRules.CheckEvents(body.Events) is { } badEvents) return Problems.Invalid(badEvents);
        if (body.OwnerUserId is null) return Problems.Invalid("owner_user_id", "is required");
        var spec = new WebhookSpec(body.Url ?? "", body.Events.Select(e => e!).ToList(), body.Product, body.OwnerUserId, body.KeepWhileDisabled ?? false);
        if (WebhookRules.Check(spec) is { } invalid) return Problems.Invalid(invalid);
        var created = await grains.GetWebhookRegistry(org_id).CreateAsync(spec);
        return created is null
            ? Problems.NotFound("organization", org_id)
            : TypedResults.Created($"/api/v1/orgs/{org_id}/webhooks/{created.Webhook.Id}", WebhookResponse.From(created.Webhook, created.Secret));
    }

    public static async Task<Results<Ok<WebhookListResponse>, ProblemHttpResult>> ListAsync(
        string org_id, int? limit, string? cursor, IGrainFactory grains, System.Security.Claims.ClaimsPrincipal user)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        if (Paging.Parse(limit, cursor, out var query) is { } badPage) return badPage;
        var masked = !AccessClaims.SeesSecrets(user);
        // At most Alerts:Quotas:Webhooks (≤ 50) subscriptions: read together, paged here.
        if (await grains.GetWebhookRegistry(org_id).ListAsync() is not { } views) return Problems.NotFound("organization", org_id);
        var page = query.Take(views, v => v.Id);
        return TypedResults.Ok(new WebhookListResponse(page.Items.Select(v => WebhookResponse.From(v, masked: masked)).ToList(), ListCursor.Encode(page.Next)));
    }

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> GetAsync(string org_id, string webhook_id, IGrainFactory grains, System.Security.Claims.ClaimsPrincipal user)
    {
        if (Ids.Check(org_id, webhook_id, "webhook_id") is { } invalid) return invalid;
        return await grains.GetWebhook(org_id, webhook_id).GetAsync() is { } view
            ? TypedResults.Ok(WebhookResponse.From(view, masked: !AccessClaims.SeesSecrets(user)))
            : Problems.NotFound("webhook", webhook_id);
    }

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> PatchAsync(string org_id, string webhook_id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (Ids.Check(org_id, webhook_id, "webhook_id") is { } invalidId) return invalidId;
        var (body, problem) = await JsonBody.ReadAsync<WebhookRequestBody>(request, cancellationToken);
        if (problem is not null) return problem;
        if (body!.Url is not null && WebhookRules.CheckUrl(body.Url) is { } badUrl) return Problems.Invalid(badUrl);
        if (body.Events is not null && WebhookRules.CheckEvents(body.Events) is { } badEvents) return Problems.Invalid(badEvents);
        if (body.OwnerUserId is not null && !GrainKeys.IsValidId(body.OwnerUserId)) return Problems.Invalid("owner_user_id", IdRules.Problem);
        var patch = new WebhookPatch(body.Url, body.Events?.Select(e => e!).ToList(), body.Product, body.OwnerUserId, body.KeepWhileDisabled);
        return await grains.GetWebhook(org_id, webhook_id).UpdateAsync(patch) is { } view
            ? TypedResults.Ok(WebhookResponse.From(view))
            : Problems.NotFound("webhook", webhook_id);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string org_id, string webhook_id, IGrainFactory grains)
    {
        if (Ids.Check(org_id, webhook_id, "webhook_id") is { } invalid) return invalid;
        return await grains.GetWebhookRegistry(org_id).DeleteAsync(webhook_id) ? TypedResults.NoContent() : Problems.NotFound("webhook", webhook_id);
    }

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> EnableAsync(string org_id, string webhook_id, IGrainFactory grains)
    {
        if (Ids.Check(org_id, webhook_id, "webhook_id") is { } invalid) return invalid;
        return await grains.GetWebhook(org_id, webhook_id).EnableAsync() is { } view
            ? TypedResults.Ok(WebhookResponse.From(view))
            : Problems.NotFound("webhook", webhook_id);
    }

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> RotateAsync(string org_id, string webhook_id, IGrainFactory grains)
    {
        if (Ids.Check(org_id, webhook_id, "webhook_id") is { } invalid) return invalid;
        return await grains.GetWebhook(org_id, webhook_id).RotateSecretAsync() is { } rotated
            ? TypedResults.Ok(WebhookResponse.From(rotated.Webhook, rotated.Secret))
            : Problems.NotFound("webhook", webhook_id);
    }

    public static async Task<Results<Ok<DeliveryListResponse>, ProblemHttpResult>> DeliveriesAsync(string org_id, string webhook_id, string? limit, string? cursor, IGrainFactory grains)
    {
        if (Ids.Check(org_id, webhook_id, "webhook_id") is { } invalid) return invalid;
        var size = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 200))
            return Problems.Invalid("limit", "must be a whole number from 1 to 200");
        if (cursor is not null && NotificationCursor.DecodeText(cursor)?.StartsWith("a:", StringComparison.Ordinal) != true)
            return Problems.Invalid("cursor", "is not a cursor this log issued");
        return await grains.GetWebhook(org_id, webhook_id).DeliveriesAsync(size, cursor) is { } page
            ? TypedResults.Ok(new DeliveryListResponse(page.Items.Select(DeliveryResponse.From).ToList(), page.Next))
            : Problems.NotFound("webhook", webhook_id);
    }

    public static async Task<Results<Ok<WebhookHealthResponse>, ProblemHttpResult>> HealthAsync(string org_id, string webhook_id, IGrainFactory grains)
    {
        if (Ids.Check(org_id, webhook_id, "webhook_id") is { } invalid) return invalid;
        return await grains.GetWebhook(org_id, webhook_id).HealthAsync() is { } health
            ? TypedResults.Ok(new WebhookHealthResponse(health.WindowHours, health.Attempts, health.Delivered, health.SuccessRate, health.P50Ms, health.P99Ms, health.LastSuccessAt, health.Partial))
            : Problems.NotFound("webhook", webhook_id);
    }

    public static async Task<Results<Accepted<RecoverResponse>, ProblemHttpResult>> RecoverAsync(
        string org_id, string webhook_id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (Ids.Check(org_id, webhook_id, "webhook_id") is { } invalid) return invalid;
        var (body, problem) = await JsonBody.ReadAsync<RecoverRequestBody>(request, cancellationToken);
        if (problem is not null) return problem;
        if (body!.Since is not { } text
            || !System.Text.RegularExpressions.Regex.IsMatch(text, @"(Z|[+-]\d{2}:\d{2})\z")
            || !DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var since))
            return Problems.Invalid("since", "must be an ISO 8601 time with its offset, e.g. 2026-12-04T08:00:00Z");
        // A minute's leeway for the caller's clock.
        if (since > DateTimeOffset.UtcNow.AddMinutes(1)) return Problems.Invalid("since", "must not be in the future");
        return await grains.GetWebhook(org_id, webhook_id).RecoverAsync(since) switch
        {
            null => Problems.NotFound("webhook", webhook_id),
            { Disabled: true } => Problems.Invalid("webhook_id", "the webhook is disabled: enable it first (POST …/enable), then recover", StatusCodes.Status409Conflict),
            var result => TypedResults.Accepted((string?)null, new RecoverResponse(result.Queued, result.Left)),
        };
    }

    public static async Task<Results<Accepted<ResendResponse>, ProblemHttpResult>> ResendAsync(string org_id, string webhook_id, string message_id, IGrainFactory grains)
    {
        if (Ids.Check(org_id, webhook_id, "webhook_id") is { } invalid) return invalid;
        if (!message_id.StartsWith("msg_", StringComparison.Ordinal) || !GrainKeys.IsValidId(message_id[4..]))
            return Problems.Invalid("message_id", "must be a message id of the delivery log (msg_…)");
        return await grains.GetWebhook(org_id, webhook_id).ResendAsync(message_id)
            ? TypedResults.Accepted((string?)null, new ResendResponse(message_id))
            : Problems.NotFound("message", message_id);
    }

    public static Task<Results<Ok<InboxResponse>, ProblemHttpResult>> InboxAsync(string org_id, string user_id, string? unread, IGrainFactory grains) =>
        unread is not (null or "true" or "false")
            ? Refused(Problems.Invalid("unread", "must be true or false"))
            : OnInboxAsync(org_id, user_id, grains, null, unreadOnly: unread == "true");

    public static Task<Results<Ok<InboxResponse>, ProblemHttpResult>> ReadAsync(string org_id, string user_id, string notification_id, IGrainFactory grains) =>
        GrainKeys.IsValidId(notification_id)
            ? OnInboxAsync(org_id, user_id, grains, async inbox => await inbox.MarkReadAsync(notification_id) ? null : Problems.NotFound("notification", notification_id))
            : Refused(Problems.Invalid("notification_id", IdRules.Problem));

    private static Task<Results<Ok<InboxResponse>, ProblemHttpResult>> Refused(ProblemHttpResult problem) =>
        Task.FromResult<Results<Ok<InboxResponse>, ProblemHttpResult>>(problem);

    public static Task<Results<Ok<InboxResponse>, ProblemHttpResult>> ReadAllAsync(string org_id, string user_id, IGrainFactory grains) =>
        OnInboxAsync(org_id, user_id, grains, async inbox => { await inbox.MarkReadAsync(null); return null; });

    /// <summary>A user's feed after an optional change to it (which may refuse), as the answer of every inbox endpoint.</summary>
    private static async Task<Results<Ok<InboxResponse>, ProblemHttpResult>> OnInboxAsync(
        string orgId, string userId, IGrainFactory grains, Func<IUserInboxGrain, Task<ProblemHttpResult?>>? change, bool unreadOnly = false)
    {
        if (Ids.Check(orgId, userId, "user_id") is { } invalid) return invalid;
        if (await grains.GetOrganization(orgId).GetUserAsync(userId) is null) return Problems.NotFound("user", userId);
        var inbox = grains.GetInbox(orgId, userId);
        if (change is not null && await change(inbox) is { } refused) return refused;
        var page = await inbox.ListAsync(unreadOnly);
        return TypedResults.Ok(new InboxResponse(page.Items.Select(InboxItemResponse.From).ToList(), page.UnreadCount));
    }
}

/// <param name="EmailHeldForSummary">The organization's platform-event e-mail budget for the window is used up: the event is told in the window's summary instead.</param>
public sealed record PublishResponse(string EventId, string MessageId, IReadOnlyList<string> Webhooks, int EmailRecipients, bool EmailHeldForSummary);

public sealed record EventSettingsRequest(bool? SendWebhook, string? Emails);

/// <summary>
/// A platform event as published (SPEC §5), for the API's description: <c>event_type</c> and the fields of that type, all
/// required — <c>integration_created</c>: integration_id, integration_name; <c>tenant_created</c>, <c>tenant_archived</c>:
/// tenant_id, tenant_name, integration_id, integration_name; <c>partner_integration_updated</c>: integration_id,
/// integration_name, partner_id, partner_name; <c>run_failed</c>: run_id, run_status, the four links, tenant_id,
/// tenant_name, integration_id, integration_name. Ids are integers. <c>id</c> makes a retry safe; <c>account_id</c>,
/// <c>environment</c> and <c>account_name</c> come from the organization and, when sent, must agree with it.
/// </summary>
public sealed record PlatformEventRequest(
    string EventType, string? Id, DateTimeOffset? Timestamp, long? AccountId, string? Environment, string? AccountName,
    long? IntegrationId, string? IntegrationName, long? TenantId, string? TenantName, long? PartnerId, string? PartnerName,
    long? RunId, string? RunStatus, Uri? AdminLink, Uri? ApiLink, Uri? ApiStatusLink, Uri? ApiTriggersLink);

public sealed record NotificationSettingsRequest(string? WebhookUrl, Dictionary<string, EventSettingsRequest?>? Events, string? WebhookId = null);

public sealed record EventSettingsResponse(bool SendWebhook, string Emails);

public sealed record NotificationSettingsResponse(string? WebhookUrl, IReadOnlyDictionary<string, EventSettingsResponse> Events, string? WebhookId, string? WebhookSecret)
{
    /// <summary>The settings as the caller may see them: <paramref name="masked"/> hides the URL's query string.</summary>
    public static NotificationSettingsResponse From(NotificationSettingsView view, bool masked = false) => new(
        masked && view.Settings.WebhookUrl is { } url ? WebhookRules.Masked(url) : view.Settings.WebhookUrl,
        NotificationEvents.PlatformEvents.ToDictionary(type => type, type =>
        {
            var perType = view.Settings.For(type);
            return new EventSettingsResponse(perType.SendWebhook, string.Join(", ", perType.Emails));
        }),
        view.WebhookId,
        view.WebhookSecret);
}

/// <param name="KeepWhileDisabled">Keep new events while the subscription is disabled (at most the queue's bound, oldest dropped first) and deliver them when it is enabled again; false (the default): a disabled subscription takes none (SPEC §6.4).</param>
public sealed record WebhookRequestBody(string? Url, IReadOnlyList<string?>? Events, string? Product, string? OwnerUserId, bool? KeepWhileDisabled = null);

public sealed record WebhookResponse(
    string Id, string Url, IReadOnlyList<string> Events, string? Product, string? OwnerUserId, bool Enabled, int ConsecutiveFailures,
    string? DisabledReason, DateTimeOffset? DisabledAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int PendingDeliveries,
    bool PlatformEvents, DateTimeOffset? LastAttemptAt, string? LastError, string? Secret, bool KeepWhileDisabled, int HeldDeliveries,
    int DroppedWhileDisabled)
{
    /// <summary>A subscription as the caller may see it: <paramref name="masked"/> hides the URL's query string.</summary>
    public static WebhookResponse From(WebhookView view, string? secret = null, bool masked = false) => new(
        view.Id, masked ? WebhookRules.Masked(view.Url) : view.Url, view.Events, view.Product, view.OwnerUserId, view.Enabled, view.ConsecutiveFailures, view.DisabledReason,
        view.DisabledAt, view.CreatedAt, view.UpdatedAt, view.PendingDeliveries, view.PlatformEvents, view.LastAttemptAt, view.LastError, secret,
        view.KeepWhileDisabled, view.Held, view.DroppedWhileDisabled);
}

public sealed record WebhookListResponse(IReadOnlyList<WebhookResponse> Items, string? Next);

public sealed record DeliveryResponse(
    string MessageId, string EventType, int Attempt, DateTimeOffset At, string Outcome, int? StatusCode, int DurationMs, string? Error,
    string? ResponseBody, DateTimeOffset? NextAttemptAt)
{
    public static DeliveryResponse From(DeliveryAttempt attempt) => new(
        attempt.MessageId, attempt.EventType, attempt.Attempt, attempt.At, attempt.Outcome.Wire(), attempt.StatusCode, attempt.DurationMs,
        attempt.Error, attempt.ResponseBody, attempt.NextAttemptAt);
}

public sealed record DeliveryListResponse(IReadOnlyList<DeliveryResponse> Items, string? Next);

public sealed record InboxItemResponse(string Id, string Kind, string Title, string Body, string? Link, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt)
{
    public static InboxItemResponse From(InboxItem item) => new(item.Id, item.Kind, item.Title, item.Body, item.Link, item.CreatedAt, item.ReadAt);
}

public sealed record InboxResponse(IReadOnlyList<InboxItemResponse> Items, int UnreadCount);

public sealed record ResendResponse(string MessageId);

/// <summary>A subscription's last 24 hours; <c>partial</c> when the log was too long to read whole.</summary>
public sealed record WebhookHealthResponse(
    int WindowHours, int Attempts, int Delivered, double? SuccessRate, int? P50Ms, int? P99Ms, DateTimeOffset? LastSuccessAt, bool Partial);

/// <summary><c>since</c>: an ISO 8601 time with its offset, not in the future.</summary>
public sealed record RecoverRequestBody(string? Since);

/// <summary>Messages queued again, and those found but left for a later recovery (the queue was full).</summary>
public sealed record RecoverResponse(int Queued, int Left);
