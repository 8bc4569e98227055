namespace Alerts.Contracts;

/// <summary>
/// The shapes of SPEC §5 and §6, checked the same way by the gateway and the grains: which fields each platform event
/// type carries, and what a subscription or the organization's notification settings may hold.
/// </summary>
public static class WebhookRules
{
    /// <summary>Fields every delivered event starts with, in this order.</summary>
    public static readonly IReadOnlyList<string> CommonFields = ["event_type", "environment", "account_id", "account_name", "timestamp"];

    /// <summary>The fields of each event type beyond the common ones (all required), in the order they are delivered.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> FieldsByType =
        PlatformEventTypes.ByName.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value.Fields.Select(f => f.Name).ToList(), StringComparer.Ordinal);

    /// <summary>Common fields that are the organization's own: a publisher may send them, and they must then agree with it.</summary>
    public static readonly IReadOnlyList<string> OrganizationFields = ["environment", "account_id", "account_name"];

    /// <summary>
    /// Whether the event may be published for this organization: it has an <c>account_id</c> (every delivery carries it as
    /// an integer), and the common fields a publisher stated agree with the organization's. The first problem, or null.
    /// </summary>
    public static (string Field, string Problem)? CheckOrganizationFields(PlatformEvent platformEvent, string orgId, OrganizationProfile org)
    {
        if (org.AccountId is not { } accountId)
            return ("account_id", $"is not set for organization '{orgId}': platform events carry it as an integer; set it with PUT /api/v1/orgs/{orgId} (\"account_id\": <integer>)");
        if (platformEvent.AccountId is { } stated && stated != accountId) return ("account_id", "must be the organization's account_id (or left out)");
        if (platformEvent.Environment is { } given && given != org.Environment) return ("environment", "must be the organization's environment (or left out)");
        if (platformEvent.AccountName is { } name && name != org.Name) return ("account_name", "must be the organization's name (or left out)");
        return null;
    }

    public const int MaxFieldLength = 500;
    public const int MaxLinkLength = 2048;
    public const int MaxEmailsPerEvent = 20;
    public const int MaxSubscriptionsPerOrganization = 50;
    public const int MaxProductLength = 100;

    /// <summary>
    /// A webhook URL as shown to anyone but an admin (monitor keys, e-mails, in-app notices): scheme, host, port and
    /// path, with the query string — where receivers put tokens — replaced by <c>?…</c>. An unreadable value is shown
    /// as nothing rather than risk showing a secret.
    /// </summary>
    public static string Masked(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "";
        var shown = uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        return uri.Query.Length > 1 ? shown + "?…" : shown;
    }

    /// <summary>The id of the subscription behind the organization's §5 <c>webhook_url</c>.</summary>
    public const string PlatformSubscriptionId = "platform-events";

    private static string TypesList => string.Join(", ", NotificationEvents.PlatformEvents);

    /// <summary>What is wrong with a published event, naming the field; null when it is well formed.</summary>
    public static (string Field, string Problem)? Check(PlatformEvent? platformEvent)
    {
        if (platformEvent is null) return ("event_type", "is required");
        if (!PlatformEventTypes.ByName.TryGetValue(platformEvent.EventType, out var shape) || shape.Record != platformEvent.GetType())
            return ("event_type", $"must be one of {TypesList}");
        if (platformEvent.EventId is { } id && !GrainKeys.IsValidId(id))
            return ("id", "must be 1-128 letters, digits or . _ : @ - (starting with a letter or digit)");
        if (platformEvent.Timestamp is { } at && at.Year < 1970) return ("timestamp", "must be after 1970");
        if (platformEvent.AccountId is < 0) return ("account_id", "must be 0 or more");
        foreach (var field in platformEvent.Fields)
        {
            if (Check(field, platformEvent.EventType) is { } problem) return (field.Name, problem);
        }
        return null;
    }

    private static string? Check(PlatformField field, string eventType)
    {
        if (field.Kind == PlatformFieldKind.Id) return field.Number < 0 ? "must be 0 or more" : null;
        var value = field.Text;
        if (string.IsNullOrWhiteSpace(value)) return $"is required for {eventType}";
        if (field.Kind == PlatformFieldKind.Link)
        {
            if (value.Length > MaxLinkLength) return $"must be at most {MaxLinkLength} characters";
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                return "must be an absolute http or https URL";
            return null;
        }
        return value.Length > MaxFieldLength ? $"must be at most {MaxFieldLength} characters" : null;
    }

    /// <summary>The events a subscription may ask for: the platform events (the internal threshold events never go to a webhook).</summary>
    public static (string Field, string Problem)? CheckEvents(IReadOnlyList<string?> events, string field = "events")
    {
        if (events.Count == 0) return (field, "must name at least one event type");
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is not { } name || !FieldsByType.ContainsKey(name))
                return ($"{field}[{i}]", $"must be one of {TypesList}");
        }
        return null;
    }

    /// <summary>The URL's shape (scheme, host, length); where it points is checked by the silo (SPEC §6.6).</summary>
    public static (string Field, string Problem)? CheckUrl(string? url, string field = "url")
    {
        if (string.IsNullOrWhiteSpace(url)) return (field, "is required");
        if (url.Length > MaxLinkLength) return (field, $"must be at most {MaxLinkLength} characters");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            return (field, "must be an absolute http or https URL");
        if (uri.UserInfo.Length > 0) return (field, "must not carry a user name or password");
        return null;
    }

    public static (string Field, string Problem)? Check(WebhookSpec spec)
    {
        if (CheckUrl(spec.Url) is { } url) return url;
        if (CheckEvents(spec.Events) is { } events) return events;
        if (spec.Product is { Length: > MaxProductLength }) return ("product", $"must be at most {MaxProductLength} characters");
        if (spec.OwnerUserId is { } owner && !GrainKeys.IsValidId(owner)) return ("owner_user_id", "must be a user id");
        return null;
    }

    public static (string Field, string Problem)? Check(NotificationSettings settings)
    {
        if (settings.WebhookUrl is { } url && CheckUrl(url, "webhook_url") is { } problem) return problem;
        foreach (var (type, perType) in settings.Events)
        {
            if (!FieldsByType.ContainsKey(type)) return ($"events.{type}", $"is not an event type (one of {TypesList})");
            if (perType.SendWebhook && settings.WebhookUrl is null) return ($"events.{type}.send_webhook", "needs a webhook_url");
            if (perType.Emails.Count > MaxEmailsPerEvent) return ($"events.{type}.emails", $"must list at most {MaxEmailsPerEvent} addresses");
            foreach (var email in perType.Emails)
            {
                if (!ProfileRules.IsEmail(email)) return ($"events.{type}.emails", $"'{email}' is not an e-mail address");
            }
        }
        return null;
    }

    /// <summary>"a@x.io, b@y.io" as a list (empty entries ignored).</summary>
    public static IReadOnlyList<string> SplitEmails(string? emails) =>
        (emails ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
