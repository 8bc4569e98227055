using Alerts.Contracts;

namespace Alerts.Grains.Notify;

/// <summary>
/// What a notification says: one record per kind, fixed when the notification is decided. Everything that turns a
/// payload into a message (a template per channel) implements <see cref="INotificationVisitor{T}"/>, so a new kind
/// does not compile until every channel can render it.
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.notification-payload")]
public abstract record NotificationPayload
{
    public abstract NotificationKind Kind { get; }

    /// <summary>The direction it is about, for kinds that have one.</summary>
    public virtual Direction? Direction => null;

    /// <summary>The subscription (a <c>notification_events</c> name) whose subscribers receive it.</summary>
    public abstract string Audience { get; }

    /// <summary>The errors it reports, shown in the notification log (0 when it reports none).</summary>
    public virtual int ErrorCount => 0;

    /// <summary>What it is about in a few words, the same on every channel.</summary>
    public abstract string Title { get; }

    /// <summary>
    /// The title as the recipient first sees it (an e-mail's subject, a chat message's heading): a non-production
    /// organization's environment first. The notification log lists it.
    /// </summary>
    public abstract string Subject { get; }

    public abstract T Accept<T>(INotificationVisitor<T> visitor);
}

/// <summary>One method per kind: the compiler points at every renderer a new kind still lacks.</summary>
public interface INotificationVisitor<out T>
{
    T Visit(ThresholdAlert alert);

    T Visit(ErrorDigest digest);

    T Visit(ConnectionNotice notice);

    T Visit(PlatformEventNotice notice);

    T Visit(PlatformEventSummary summary);

    T Visit(WebhookNotice notice);

    T Visit(TestNotification test);
}

/// <summary>What a threshold e-mail says (SPEC §2.5), fixed at the moment of the decision.</summary>
[GenerateSerializer, Immutable, Alias("alerts.threshold-alert")]
public sealed record ThresholdAlert(
    [property: Id(0)] string OrgId,
    [property: Id(1)] string OrganizationName,
    [property: Id(2)] string Environment,
    [property: Id(3)] bool Production,
    [property: Id(4)] Direction AlertDirection,
    [property: Id(5)] int Errors,
    [property: Id(6)] bool CountIsExact,
    [property: Id(7)] FailureInterval Interval,
    [property: Id(8)] DateTimeOffset CountedAfter,
    [property: Id(9)] DateTimeOffset DecidedAt,
    [property: Id(10)] IReadOnlyList<FailingIntegration> TopIntegrations,
    [property: Id(11)] DateTimeOffset ExportSince,
    [property: Id(12)] IReadOnlyList<AlertCode>? TopCodes = null,
    [property: Id(13)] IReadOnlyList<LatestLine>? Latest = null) : NotificationPayload
{
    /// <summary>Codes an alert names at most, and latest errors it shows.</summary>
    public const int CodesShown = 3, LatestShown = 5;

    /// <summary>How far back the CSV goes when a direction never notified before (SPEC §2.5).</summary>
    public static readonly TimeSpan FirstExportSpan = TimeSpan.FromDays(30);

    public const string ThresholdTitle = "Integration error threshold exceeded";

    public override NotificationKind Kind => NotificationKind.ThresholdExceeded;

    public override string Title => ThresholdTitle;

    public override string Subject => NotificationText.Subject(Title, Environment, Production);

    public override Direction? Direction => AlertDirection;

    public override string Audience => AlertDirection.ErrorEvent();

    public override int ErrorCount => Errors;

    public override T Accept<T>(INotificationVisitor<T> visitor) => visitor.Visit(this);
}

/// <summary>
/// A status code among the errors an alert counted, with the integration type it failed most in (whose advice the
/// catalog gives); captured from the direction's window at the decision, so rendering reads nothing back.
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.alert-code")]
public sealed record AlertCode(
    [property: Id(0)] int? Code,
    [property: Id(1)] IntegrationType MostlyIn,
    [property: Id(2)] int Errors);

/// <summary>One of the latest errors an alert counted (its message cut at <see cref="MaxMessage"/> characters).</summary>
[GenerateSerializer, Immutable, Alias("alerts.latest-line")]
public sealed record LatestLine(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Integration,
    [property: Id(2)] int? Code,
    [property: Id(3)] string Message)
{
    public const int MaxMessage = 200;

    public static string Shorten(string? message) =>
        message is null ? "(no message)" : message.Length > MaxMessage ? message[..MaxMessage] + "…" : message;
}

[GenerateSerializer, Immutable, Alias("alerts.failing-integration")]
public sealed record FailingIntegration(
    [property: Id(0)] string IntegrationId,
    [property: Id(1)] string Name,
    [property: Id(2)] IntegrationType Type,
    [property: Id(3)] int Errors);

/// <summary>
/// The 15-minute digest (SPEC §3.3): one entry per round, a payload per recipient (see
/// <see cref="OutboxEntry.Personal"/>); the entry's own payload names the round and has empty sections.
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.error-digest")]
public sealed record ErrorDigest(
    [property: Id(0)] string OrgId,
    [property: Id(1)] string OrganizationName,
    [property: Id(2)] string Environment,
    [property: Id(3)] bool Production,
    [property: Id(4)] DateTimeOffset RoundAt,
    [property: Id(5)] DateTimeOffset? Since,
    [property: Id(6)] DigestPart New,
    [property: Id(7)] DigestPart Resolved,
    [property: Id(8)] DigestPart Open,
    [property: Id(9)] string? ErrorsUrl) : NotificationPayload
{
    /// <summary>What a digest round is listed as in the notification log (each recipient's own subject has their counts).</summary>
    public const string RoundTitle = "Error digest";

    public override NotificationKind Kind => NotificationKind.Digest;

    public override string Title => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{RoundTitle}: {New.Count} new, {Resolved.Count} resolved, {Open.Count} still open");

    public override string Subject => NotificationText.Subject(Title, Environment, Production);

    /// <summary>A round's line in the notification log.</summary>
    public static string RoundSubject(string environment, bool production) => NotificationText.Subject(RoundTitle, environment, production);

    public override string Audience => UserProfile.DigestAudience;

    public override int ErrorCount => New.Count;

    public override T Accept<T>(INotificationVisitor<T> visitor) => visitor.Visit(this);
}

/// <summary>A digest section: how many in all, and the first of them in detail.</summary>
[GenerateSerializer, Immutable, Alias("alerts.digest-part")]
public sealed record DigestPart(
    [property: Id(0)] int Count,
    [property: Id(1)] IReadOnlyList<DigestLine> Lines)
{
    public static readonly DigestPart Empty = new(0, []);
}

[GenerateSerializer, Immutable, Alias("alerts.digest-line")]
public sealed record DigestLine(
    [property: Id(0)] ErrorView Error,
    [property: Id(1)] string IntegrationName,
    [property: Id(2)] IntegrationType? IntegrationType = null,
    [property: Id(3)] string? MutedBecause = null);

/// <summary>A connection went offline or came back (SPEC §4); the state is the one told, as of <see cref="ChangedAt"/>.</summary>
[GenerateSerializer, Immutable, Alias("alerts.connection-notice")]
public sealed record ConnectionNotice(
    [property: Id(0)] string OrgId,
    [property: Id(1)] string OrganizationName,
    [property: Id(2)] string Environment,
    [property: Id(3)] bool Production,
    [property: Id(4)] string ConnectionId,
    [property: Id(5)] string ConnectionName,
    [property: Id(6)] bool Online,
    [property: Id(7)] DateTimeOffset ChangedAt,
    [property: Id(8)] IReadOnlyList<string> Integrations,
    [property: Id(9)] int IntegrationCount = 0) : NotificationPayload
{
    /// <summary>Integrations named in a notice at most; the rest are counted.</summary>
    public const int IntegrationsNamed = 25;

    public override NotificationKind Kind => NotificationKind.ConnectionChanged;

    public override string Title => $"Connection {ConnectionName} is {(Online ? "back online" : "offline")}";

    public override string Subject => NotificationText.Subject(Title, Environment, Production);

    public override string Audience => UserProfile.ConnectionAudience(ConnectionId);

    public override T Accept<T>(INotificationVisitor<T> visitor) => visitor.Visit(this);
}

/// <summary>A platform event (SPEC §5) by e-mail: its type and fields as published, to its audience and the primary contact.</summary>
[GenerateSerializer, Immutable, Alias("alerts.platform-event-notice")]
public sealed record PlatformEventNotice(
    [property: Id(0)] string OrgId,
    [property: Id(1)] string OrganizationName,
    [property: Id(2)] string Environment,
    [property: Id(3)] bool Production,
    [property: Id(4)] string EventType,
    [property: Id(5)] string EventId,
    [property: Id(6)] DateTimeOffset Timestamp,
    [property: Id(7)] IReadOnlyList<KeyValuePair<string, string>> Fields) : NotificationPayload
{
    public override NotificationKind Kind => NotificationKind.PlatformEvent;

    public override string Audience => EventType;

    /// <summary>The type's name in words, with the integration it names when it names one.</summary>
    public override string Title => Fields.FirstOrDefault(f => f.Key == "integration_name").Value is { } named
        ? $"{EventTitle(EventType)}: {named}"
        : EventTitle(EventType);

    public override string Subject => NotificationText.Subject(Title, Environment, Production);

    /// <summary>The words of SPEC §5 event types.</summary>
    public static string EventTitle(string eventType) => eventType switch
    {
        "integration_created" => "Integration created",
        "tenant_created" => "Tenant created",
        "tenant_archived" => "Tenant archived",
        "partner_integration_updated" => "Partner integration updated",
        "run_failed" => "Run failed",
        _ => eventType,
    };

    public override T Accept<T>(INotificationVisitor<T> visitor) => visitor.Visit(this);
}

/// <summary>What a subscription's owner is told about it: failing (streak 3), disabled (streak 6), delivering again.</summary>
[GenerateSerializer, Immutable, Alias("alerts.webhook-notice")]
public sealed record WebhookNotice(
    [property: Id(0)] string OrgId,
    [property: Id(1)] string OrganizationName,
    [property: Id(2)] string Environment,
    [property: Id(3)] bool Production,
    [property: Id(4)] NotificationKind NoticeKind,
    [property: Id(5)] string WebhookId,
    [property: Id(6)] string Url,
    [property: Id(7)] int ConsecutiveFailures,
    [property: Id(8)] int? LastStatus,
    [property: Id(9)] string? LastError,
    [property: Id(10)] DateTimeOffset At,
    [property: Id(11)] string PageUrl,
    [property: Id(12)] string? Noun = null) : NotificationPayload
{
    public override NotificationKind Kind => NoticeKind;

    public override string Audience => OwnerAudience(WebhookId);

    /// <summary>What is told about: a webhook subscription, or a delivery target ("Slack target").</summary>
    public string What => Noun ?? "Webhook";

    public override string Title => NoticeKind switch
    {
        NotificationKind.WebhookDisabled => $"{What} {WebhookId} disabled",
        NotificationKind.WebhookFailing => $"{What} {WebhookId} is failing",
        _ => $"{What} {WebhookId} delivers again",
    };

    public override string Subject => NotificationText.Subject(Title, Environment, Production);

    /// <summary>The first paragraph: the e-mail, a chat message and the in-app notification say the same.</summary>
    public string Summary
    {
        get
        {
            var last = LastStatus is { } status
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"HTTP {status}{(LastError is null ? "" : ": " + LastError)}")
                : LastError ?? "no reply";
            var at = NotificationText.Timestamp(At);
            return NoticeKind switch
            {
                NotificationKind.WebhookDisabled => Noun is null
                        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Webhook {WebhookId} ({Url}) failed {ConsecutiveFailures} times in a row and was disabled at {at}. Last error: {last}. New events are not sent to it until it is enabled again or its URL changes; deliveries already waiting keep their retries.")
                        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{What} {WebhookId} ({Url}) failed {ConsecutiveFailures} times in a row and was disabled at {at}. Last error: {last}. Nothing is posted to it until it is enabled again; e-mail still reaches you."),
                NotificationKind.WebhookFailing => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Webhook {WebhookId} ({Url}) failed {ConsecutiveFailures} times in a row (last at {at}: {last}). It is disabled after {Webhooks.WebhookBreaker.DisableAt} failures in a row."),
                _ => $"Webhook {WebhookId} ({Url}) delivered successfully at {at} after it was enabled again.",
            };
        }
    }

    public static string OwnerAudience(string webhookId) => "webhook-owner:" + webhookId;

    public override T Accept<T>(INotificationVisitor<T> visitor) => visitor.Visit(this);
}

/// <summary>
/// The platform events an organization published past its e-mail budget in one window (issue 21), told once when the
/// window ends: per event type, how many, the first and last, and the last one's id.
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.platform-event-summary")]
public sealed record PlatformEventSummary(
    [property: Id(0)] string OrgId,
    [property: Id(1)] string OrganizationName,
    [property: Id(2)] string Environment,
    [property: Id(3)] bool Production,
    [property: Id(4)] DateTimeOffset WindowStart,
    [property: Id(5)] DateTimeOffset WindowEnd,
    [property: Id(6)] IReadOnlyList<Webhooks.FoldedEvents> Events,
    [property: Id(7)] int Budget) : NotificationPayload
{
    public const string SummaryAudience = "platform-event-summary";

    public override NotificationKind Kind => NotificationKind.PlatformEventSummary;

    public override string Audience => SummaryAudience;

    public int Total => Events.Sum(e => e.Count);

    public override string Title => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Total} more platform {(Total == 1 ? "event" : "events")} in {OrganizationName}");

    public override string Subject => NotificationText.Subject(Title, Environment, Production);

    /// <summary>The first paragraph, the same on every channel.</summary>
    public string Summary => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"Between {NotificationText.Timestamp(WindowStart)} and {NotificationText.Timestamp(WindowEnd)}, {OrganizationName} published {Total} platform {(Total == 1 ? "event" : "events")} after the {Budget} that were e-mailed one by one. To keep one organization from flooding the shared mail relay, these are counted here instead.");

    public override T Accept<T>(INotificationVisitor<T> visitor) => visitor.Visit(this);
}

/// <summary>
/// A test notification (issue 22): asked for a user, sent only to that user's address through the real pipeline (outbox,
/// pacing, retries, the notification log), and marked as a test wherever it shows.
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.test-notification")]
public sealed record TestNotification(
    [property: Id(0)] string OrgId,
    [property: Id(1)] string OrganizationName,
    [property: Id(2)] string Environment,
    [property: Id(3)] bool Production,
    [property: Id(4)] string UserId,
    [property: Id(5)] DateTimeOffset RequestedAt) : NotificationPayload
{
    public override NotificationKind Kind => NotificationKind.Test;

    public override string Title => "[Test] Alerts can reach you";

    public override string Subject => NotificationText.Subject(Title, Environment, Production);

    /// <summary>Nobody subscribes to a test: it goes to the one user it was asked for.</summary>
    public override string Audience => "test:" + UserId;

    public override T Accept<T>(INotificationVisitor<T> visitor) => visitor.Visit(this);
}
