using System.Globalization;
using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Silo.Notify.Email;
using Alerts.Silo.Notify.Exports;

namespace Alerts.Silo.Notify.Channels.Chat;

/// <summary>
/// Every kind of notification as a <see cref="ChatMessage"/>: one visitor method per payload type (a new kind is a
/// compile error here too), from the payload alone plus, for a threshold alert, the same signed CSV link and catalog
/// advice the e-mail has (<see cref="NotificationLinks"/>, <see cref="IErrorExports"/>).
/// </summary>
public sealed class ChatRenderer(IErrorExports exports, NotificationLinks links)
{
    /// <summary>Lines of a digest section shown; the rest is counted.</summary>
    public const int DigestLinesShown = 10;

    private NotificationLinks Links => links;

    private IErrorExports Exports => exports;

    public Task<ChatMessage> RenderAsync(OutboxPass pass, NotificationPayload payload, CancellationToken cancellationToken) =>
        payload.Accept(new Visitor(this, pass, cancellationToken));

    private static string Time(DateTimeOffset at) => NotificationText.Timestamp(at);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class Visitor(ChatRenderer renderer, OutboxPass pass, CancellationToken cancellationToken) : INotificationVisitor<Task<ChatMessage>>
    {
        private string Ui(string page) => renderer.Links.UiLink(pass.OrgId, page);

        private static List<ChatFact> Where(string organization, string environment) =>
            [new("Organization", organization), new("Environment", environment)];

        public async Task<ChatMessage> Visit(ThresholdAlert alert)
        {
            var details = renderer.Links.Details(pass.OrgId, alert);
            var csv = await renderer.Exports.LinkAsync(pass.OrgId, pass.EntryId, alert, cancellationToken);
            var count = alert.CountIsExact ? alert.Errors.ToString(CultureInfo.InvariantCulture) : Inv($"at least {alert.Errors}");
            var what = EmailTemplates.DirectionPhrase(alert.AlertDirection);
            var facts = Where(alert.OrganizationName, alert.Environment);
            facts.Add(new("Direction", what));
            facts.Add(new("Errors", Inv($"{count} (limit window {alert.Interval.Wire()})")));
            var sections = new List<ChatSection>
            {
                new("Top failing integrations", alert.TopIntegrations.Select(i => Inv($"{i.Name} ({i.Type.Wire()}): {i.Errors} errors")).ToList()),
            };
            if (details.Codes.Count > 0)
            {
                sections.Add(new("Top error codes", details.Codes.Select(code =>
                    Inv($"{(code.Code is { } c ? Inv($"{c} ") : "")}{code.Name}: {code.Errors} errors{(code.Guidance is { } advice ? " — what to do: " + advice : "")}")).ToList()));
            }
            if (details.Latest.Count > 0)
            {
                sections.Add(new("Latest errors", details.Latest.Select(l =>
                    Inv($"{Time(l.At)} {l.Integration}{(l.Code is { } c ? Inv($" [{c}]") : "")}: {l.Message}")).ToList()));
            }
            sections.Add(new("What the count covers", [EmailTemplates.CoverageNote(alert)]));
            var linksOut = new List<ChatLink> { new("See the failures", details.FailuresUrl!) };
            if (csv is not null) linksOut.Add(new(Inv($"Download the CSV ({csv.Rows} rows, until {Time(csv.ExpiresAt)})"), csv.Url.AbsoluteUri));
            linksOut.Add(new("Manage what you receive", details.ManageUrl!));
            return new ChatMessage("threshold_exceeded", alert.Subject,
                Inv($"{count} errors in {what} of {alert.OrganizationName} ({alert.Environment}) since {Time(alert.CountedAfter)}."),
                facts, sections, linksOut, alert.OrgId);
        }

        public Task<ChatMessage> Visit(ErrorDigest digest)
        {
            // The catalog's advice once per code and integration type in the whole digest, for errors still open (as the e-mail).
            var advised = new HashSet<(int, IntegrationType)>();
            ChatSection Part(string heading, DigestPart part, bool advise)
            {
                var lines = new List<string>();
                foreach (var line in part.Lines.OrderBy(l => l.MutedBecause is not null).Take(DigestLinesShown))
                {
                    var error = line.Error;
                    var advice = advise && error.StatusCode is { } code && line.IntegrationType is { } type && advised.Add((code, type))
                        ? ErrorCatalog.Guidance(code, type)
                        : null;
                    lines.Add(Inv($"{line.IntegrationName} · {error.Flow}{(error.StatusCode is { } s ? Inv($" [{s}]") : "")}: {LatestLine.Shorten(error.Message)}") +
                        (line.MutedBecause is { } why ? " (muted: " + why + ")" : "") + (advice is null ? "" : " — what to do: " + advice));
                }
                if (part.Count > lines.Count) lines.Add(Inv($"… and {part.Count - lines.Count:N0} more"));
                return new ChatSection(Inv($"{heading} ({part.Count})"), lines);
            }
            var sections = new[] { Part("New open errors", digest.New, true), Part("Resolved errors", digest.Resolved, false), Part("Still open", digest.Open, true) }
                .Where(section => section.Lines.Count > 0).ToList();
            var linksOut = new List<ChatLink> { new("See the failures", Ui("failures")) };
            if (digest.ErrorsUrl is { } api) linksOut.Add(new("Every error, with filters", api));
            linksOut.Add(new("Manage what you receive", Ui("users")));
            return Task.FromResult(new ChatMessage("digest", digest.Subject,
                Inv($"Errors in the flows you follow in {digest.OrganizationName} ({digest.Environment}), {(digest.Since is { } since ? "since " + Time(since) : "so far")} (as of {Time(digest.RoundAt)}): {digest.New.Count} new, {digest.Resolved.Count} resolved, {digest.Open.Count} still open."),
                Where(digest.OrganizationName, digest.Environment), sections, linksOut, digest.OrgId));
        }

        public Task<ChatMessage> Visit(ConnectionNotice notice)
        {
            var facts = Where(notice.OrganizationName, notice.Environment);
            facts.Add(new("Connection", notice.ConnectionName));
            facts.Add(new("Changed at", Time(notice.ChangedAt)));
            var affected = notice.Integrations.ToList();
            var total = Math.Max(notice.IntegrationCount, affected.Count);
            if (total > affected.Count) affected.Add(Inv($"… and {total - affected.Count} more"));
            var sections = affected.Count > 0 ? new List<ChatSection> { new("Integrations using it", affected) } : [];
            return Task.FromResult(new ChatMessage("connection_changed", notice.Subject,
                notice.Online
                    ? Inv($"Connection {notice.ConnectionName} came back online at {Time(notice.ChangedAt)}.")
                    : Inv($"Connection {notice.ConnectionName} went offline at {Time(notice.ChangedAt)}: integrations using it may fail until it is back."),
                facts, sections, [new("See the connections", Ui("connections")), new("Manage what you receive", Ui("users"))], notice.OrgId));
        }

        public Task<ChatMessage> Visit(PlatformEventNotice notice)
        {
            var facts = Where(notice.OrganizationName, notice.Environment);
            facts.AddRange(notice.Fields.Select(f => new ChatFact(f.Key, f.Value)));
            return Task.FromResult(new ChatMessage("platform_event", notice.Subject,
                Inv($"{PlatformEventNotice.EventTitle(notice.EventType)} ({notice.EventId}) at {Time(notice.Timestamp)}."),
                facts, [], [new("Manage what you receive", Ui("users"))], notice.OrgId));
        }

        public Task<ChatMessage> Visit(PlatformEventSummary summary) => Task.FromResult(new ChatMessage("platform_event_summary", summary.Subject,
            summary.Summary, Where(summary.OrganizationName, summary.Environment),
            [new("Events", summary.Events.Select(e => Inv($"{e.EventType}: {e.Count} (last {e.LastEventId} at {Time(e.Last)})")).ToList())],
            [new("Manage what you receive", Ui("users"))], summary.OrgId));

        public Task<ChatMessage> Visit(WebhookNotice notice) => Task.FromResult(new ChatMessage("webhook_notice", notice.Subject, notice.Summary,
            Where(notice.OrganizationName, notice.Environment), [], [new("Open its page", notice.PageUrl)], notice.OrgId));

        public Task<ChatMessage> Visit(TestNotification test) => Task.FromResult(new ChatMessage("test", test.Subject,
            Inv($"This is a test notification for {test.UserId} of {test.OrganizationName} ({test.Environment}), asked for at {Time(test.RequestedAt)}. It went through the same outbox, pacing and retries as real alerts. Nothing is wrong."),
            Where(test.OrganizationName, test.Environment), [], [new("Why an alert did or did not reach you", Ui("decisions"))], test.OrgId));
    }
}
