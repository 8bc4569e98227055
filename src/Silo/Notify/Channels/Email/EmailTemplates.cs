using System.Globalization;
using System.Net;
using System.Text;
using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Silo.Notify.Exports;

namespace Alerts.Silo.Notify.Email;

/// <summary>
/// A rendered e-mail: every kind has a subject, a plain-text body and an HTML body; <see cref="ManageUrl"/> is where the
/// recipient manages what they receive (the <c>List-Unsubscribe</c> header).
/// </summary>
public sealed record EmailContent(string Subject, string Text, string Html, string? ManageUrl = null);

/// <summary>What a threshold e-mail shows beyond the counts: the top codes with guidance, the latest messages, links.</summary>
public sealed record ThresholdDetails(
    IReadOnlyList<CodeLine> Codes,
    IReadOnlyList<LatestLine> Latest,
    string? FailuresUrl,
    string? ManageUrl);

/// <summary>A code among the errors an alert counted: how many, its catalog name, what to do for the integration's type.</summary>
public sealed record CodeLine(int? Code, string Name, int Errors, string? Guidance);

/// <summary>
/// The one place where the words of every e-mail Alerts sends are written, from the payload alone: its title and
/// subject are the payload's (<see cref="NotificationPayload.Subject"/>), the rest is laid out here. Each message names
/// the organization and its environment; links are absolute.
/// </summary>
public static class EmailTemplates
{

    public static string DirectionPhrase(Direction direction) =>
        direction == Direction.Outgoing ? "outgoing integrations" : "incoming webhooks";

    public static EmailContent ThresholdExceeded(ThresholdAlert alert, CsvLink? csv, ThresholdDetails? details = null)
    {
        var subject = alert.Subject;
        var count = alert.CountIsExact
            ? alert.ErrorCount.ToString(CultureInfo.InvariantCulture)
            : $"at least {alert.ErrorCount.ToString(CultureInfo.InvariantCulture)}";
        var what = DirectionPhrase(alert.AlertDirection);
        var since = Timestamp(alert.CountedAfter);
        var headline = $"{count} errors in {what} of {alert.OrganizationName} ({alert.Environment}) since {since}.";

        var text = new StringBuilder()
            .AppendLine(headline)
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Organization: {alert.OrganizationName} ({alert.OrgId})")
            .AppendLine(CultureInfo.InvariantCulture, $"Environment:  {alert.Environment}")
            .AppendLine(CultureInfo.InvariantCulture, $"Direction:    {what}")
            .AppendLine(CultureInfo.InvariantCulture, $"Errors:       {count} (limit window {alert.Interval.Wire()})")
            .AppendLine(CultureInfo.InvariantCulture, $"Decided at:   {Timestamp(alert.DecidedAt)}")
            .AppendLine()
            .AppendLine("Top failing integrations:");
        foreach (var integration in alert.TopIntegrations)
            text.AppendLine(CultureInfo.InvariantCulture, $"  - {integration.Name} ({integration.Type.Wire()}): {integration.Errors} errors");
        if (details is { Codes.Count: > 0 })
        {
            text.AppendLine().AppendLine("Top error codes:");
            foreach (var code in details.Codes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  - {CodeLabel(code)}: {code.Errors} errors");
                if (code.Guidance is { } guidance) text.AppendLine(AdviceText(guidance));
            }
        }
        if (details is { Latest.Count: > 0 })
        {
            text.AppendLine().AppendLine("Latest errors:");
            foreach (var latest in details.Latest)
                text.AppendLine(CultureInfo.InvariantCulture, $"  - {Timestamp(latest.At)} {latest.Integration}{(latest.Code is { } c ? $" [{c}]" : "")}: {latest.Message}");
        }
        text.AppendLine().AppendLine(CoverageNote(alert));
        if (details?.FailuresUrl is { } failures) text.AppendLine(CultureInfo.InvariantCulture, $"See the failures in the admin UI: {failures}");
        if (csv is not null)
        {
            text.AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"Download the error details since {Timestamp(alert.ExportSince)} ({CsvSummary(csv)}):")
                .AppendLine(csv.Url.AbsoluteUri)
                .AppendLine(CultureInfo.InvariantCulture, $"The link works until {Timestamp(csv.ExpiresAt)}.");
            if (csv.Capped) text.AppendLine(CappedNote(csv));
        }
        text.AppendLine().AppendLine(Footer(alert.AlertDirection));
        if (details?.ManageUrl is { } manage) text.AppendLine(CultureInfo.InvariantCulture, $"Manage what you receive: {manage}");

        var rows = new StringBuilder();
        foreach (var integration in alert.TopIntegrations)
        {
            rows.Append(CultureInfo.InvariantCulture,
                $"<tr><td style=\"padding:4px 12px 4px 0\">{Html(integration.Name)}</td><td style=\"padding:4px 12px 4px 0\">{Html(integration.Type.Wire())}</td><td style=\"padding:4px 0;text-align:right\">{integration.Errors}</td></tr>");
        }
        var link = csv is null
            ? ""
            : $"<p><a href=\"{Html(csv.Url.AbsoluteUri)}\">Download the error details since {Html(Timestamp(alert.ExportSince))}</a> " +
              $"({Html(CsvSummary(csv))}). The link works until {Html(Timestamp(csv.ExpiresAt))}.</p>" +
              (csv.Capped ? $"<p>{Html(CappedNote(csv))}</p>" : "");
        var html = $"""
            {Head(subject)}
            <h2 style="margin:0 0 12px">{Html(subject)}</h2>
            <p>{Html(headline)}</p>
            <table style="border-collapse:collapse;margin:0 0 12px">
            <tr><td style="padding:2px 12px 2px 0"><b>Organization</b></td><td>{Html(alert.OrganizationName)} ({Html(alert.OrgId)})</td></tr>
            <tr><td style="padding:2px 12px 2px 0"><b>Environment</b></td><td>{Html(alert.Environment)}</td></tr>
            <tr><td style="padding:2px 12px 2px 0"><b>Direction</b></td><td>{Html(what)}</td></tr>
            <tr><td style="padding:2px 12px 2px 0"><b>Errors</b></td><td>{Html(count)} (limit window {Html(alert.Interval.Wire())})</td></tr>
            </table>
            <h3 style="margin:12px 0 6px">Top failing integrations</h3>
            <table style="border-collapse:collapse">
            <tr><th style="text-align:left;padding:4px 12px 4px 0">Integration</th><th style="text-align:left;padding:4px 12px 4px 0">Type</th><th style="text-align:right;padding:4px 0">Errors</th></tr>
            {rows}
            </table>
            {CodesHtml(details)}
            {LatestHtml(details)}
            <p>{Html(CoverageNote(alert))}</p>
            {(details?.FailuresUrl is { } failuresUrl ? $"<p><a href=\"{Html(failuresUrl)}\">See the failures in the admin UI</a></p>" : "")}
            {link}
            <p style="color:#666;font-size:12px">{Html(Footer(alert.AlertDirection))}{(details?.ManageUrl is { } manageUrl ? $" <a href=\"{Html(manageUrl)}\">Manage what you receive</a>." : "")}</p>
            </body></html>
            """;
        return Made(subject, text.ToString(), html, details?.ManageUrl);
    }

    /// <summary>Says plainly what the count and the CSV cover, which differ.</summary>
    public static string CoverageNote(ThresholdAlert alert) =>
        $"The count covers the errors since {Timestamp(alert.CountedAfter)} (the last {alert.Interval.Wire()}, or since the previous alert if that was later); " +
        $"the CSV covers every error since {Timestamp(alert.ExportSince)} (the previous alert of this direction, or 30 days).";

    private static string CodeLabel(CodeLine code) => code.Code is { } value
        ? string.Create(CultureInfo.InvariantCulture, $"{value} {code.Name}")
        : code.Name;

    private static string CodesHtml(ThresholdDetails? details)
    {
        if (details is not { Codes.Count: > 0 }) return "";
        var items = string.Concat(details.Codes.Select(code =>
            $"<li><b>{Html(CodeLabel(code))}</b>: {code.Errors} errors{AdviceHtml(code.Guidance)}</li>"));
        return $"<h3 style=\"margin:12px 0 6px\">Top error codes</h3><ul>{items}</ul>";
    }

    private static string LatestHtml(ThresholdDetails? details)
    {
        if (details is not { Latest.Count: > 0 }) return "";
        var items = string.Concat(details.Latest.Select(latest =>
            $"<li>{Html(Timestamp(latest.At))} <b>{Html(latest.Integration)}</b>{(latest.Code is { } c ? $" [{c}]" : "")}: {Html(latest.Message)}</li>"));
        return $"<h3 style=\"margin:12px 0 6px\">Latest errors</h3><ul>{items}</ul>";
    }

    /// <summary>SPEC §3.3: counts first (new, resolved, still open), then the details of each section.</summary>
    public static EmailContent Digest(ErrorDigest digest)
    {
        var subject = digest.Subject;
        var period = digest.Since is { } since ? $"since {Timestamp(since)}" : "so far";
        var headline = $"Errors in the flows you follow in {digest.OrganizationName} ({digest.Environment}), {period} (as of {Timestamp(digest.RoundAt)}).";
        var sections = new (string Title, DigestPart Part, Func<DigestLine, string> When, bool Advise)[]
        {
            ("New open errors", digest.New, line => $"first seen {Timestamp(line.Error.FirstSeen)}, last seen {Timestamp(line.Error.LastSeen)}", true),
            ("Resolved errors", digest.Resolved, line => $"resolved {Timestamp(line.Error.ResolvedAt ?? digest.RoundAt)}" +
                (line.Error.Resolution is { } how ? $" ({how.Wire()}{(line.Error.ResolvedBy is { } by ? $" by {by}" : "")})" : ""), false),
            ("Still open", digest.Open, line => $"first seen {Timestamp(line.Error.FirstSeen)}, last seen {Timestamp(line.Error.LastSeen)}", true),
        };

        var text = new StringBuilder().AppendLine(headline).AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"New:        {digest.New.Count}")
            .AppendLine(CultureInfo.InvariantCulture, $"Resolved:   {digest.Resolved.Count}")
            .AppendLine(CultureInfo.InvariantCulture, $"Still open: {digest.Open.Count}");
        var html = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{Head(subject)}\n<h2 style=\"margin:0 0 12px\">{Html(subject)}</h2>\n<p>{Html(headline)}</p>\n")
            .Append(CultureInfo.InvariantCulture, $"<table style=\"border-collapse:collapse;margin:0 0 12px\"><tr><td style=\"padding:2px 12px 2px 0\"><b>New</b></td><td>{digest.New.Count}</td></tr><tr><td style=\"padding:2px 12px 2px 0\"><b>Resolved</b></td><td>{digest.Resolved.Count}</td></tr><tr><td style=\"padding:2px 12px 2px 0\"><b>Still open</b></td><td>{digest.Open.Count}</td></tr></table>\n");
        // The catalog's advice for a code, once per code and integration type in the whole digest, where it first appears.
        var advised = new HashSet<(int, IntegrationType)>();
        foreach (var (title, part, when, advise) in sections)
        {
            if (part.Count == 0) continue;
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{title} ({part.Count}):");
            html.Append(CultureInfo.InvariantCulture, $"<h3 style=\"margin:12px 0 6px\">{Html(title)} ({part.Count})</h3>\n<ul>\n");
            // Errors under a mute come after the others, under a heading of their own.
            var mutedHeading = false;
            foreach (var line in part.Lines.OrderBy(l => l.MutedBecause is not null))
            {
                if (line.MutedBecause is not null && !mutedHeading)
                {
                    mutedHeading = true;
                    text.AppendLine("  While muted:");
                    html.Append("</ul>\n<p style=\"margin:6px 0;color:#666\">While muted:</p>\n<ul>\n");
                }
                var error = line.Error;
                var what = DigestWhat(line) + (line.MutedBecause is { } because ? $" (muted: {because})" : "");
                var detail = string.Create(CultureInfo.InvariantCulture, $"{when(line)}, {error.Occurrences} occurrence{(error.Occurrences == 1 ? "" : "s")}, id {error.Id}");
                var advice = advise && error.StatusCode is { } code && line.IntegrationType is { } type && advised.Add((code, type))
                    ? ErrorCatalog.Guidance(code, type)
                    : null;
                text.AppendLine(CultureInfo.InvariantCulture, $"  - {what}").AppendLine(CultureInfo.InvariantCulture, $"    {detail}");
                if (advice is not null) text.AppendLine(AdviceText(advice));
                html.Append(CultureInfo.InvariantCulture, $"<li>{Html(what)}<br><span style=\"color:#666\">{Html(detail)}</span>{AdviceHtml(advice)}</li>\n");
            }
            var more = part.Count - part.Lines.Count;
            if (more > 0)
            {
                var note = string.Create(CultureInfo.InvariantCulture, $"and {more:N0} more");
                text.AppendLine(CultureInfo.InvariantCulture, $"  {note}");
                html.Append(CultureInfo.InvariantCulture, $"<li>{Html(note)}</li>\n");
            }
            html.Append("</ul>\n");
        }
        if (digest.ErrorsUrl is { } url)
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Every error, with filters: {url}");
            html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{Html(url)}\">Every error, with filters</a></p>\n");
        }
        const string footer = "You receive this because you follow these flows; nothing is sent when nothing changed.";
        text.AppendLine().AppendLine(footer);
        html.Append(CultureInfo.InvariantCulture, $"<p style=\"color:#666;font-size:12px\">{Html(footer)}</p>\n</body></html>\n");
        return Made(subject, text.ToString(), html.ToString());
    }

    /// <summary>The error catalog's advice as a line of the text body and as a line inside an HTML list item.</summary>
    private static string AdviceText(string guidance) => $"    What to do: {guidance}";

    private static string AdviceHtml(string? guidance) => guidance is null ? "" : $"<br><span style=\"color:#444\">What to do: {Html(guidance)}</span>";

    private static string DigestWhat(DigestLine line)
    {
        var error = line.Error;
        var flow = error.Overflow ? "" : error.Flow.Length == 0 ? " (no flow)" : $" / {error.Flow}";
        // The code with its name from the error catalog: "[502 Bad Gateway]".
        var code = error.StatusCode is { } status
            ? string.Create(CultureInfo.InvariantCulture, $" [{status}{(ErrorCodes.NameOrNull(status) is { } name ? " " + name : "")}]")
            : "";
        var key = error.TraceKey is { } trace ? $" trace {trace}" : "";
        return $"{line.IntegrationName}{flow}{code}{key}: {error.Message ?? "(no message)"}";
    }

    /// <summary>SPEC §4: the connection, its new state, when, and the integrations that use it.</summary>
    public static EmailContent ConnectionChanged(ConnectionNotice notice)
    {
        var state = notice.Online ? "back online" : "offline";
        var subject = notice.Subject;
        var headline = $"Connection {notice.ConnectionName} of {notice.OrganizationName} ({notice.Environment}) is {state} since {Timestamp(notice.ChangedAt)}.";
        var text = new StringBuilder()
            .AppendLine(headline)
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Connection:   {notice.ConnectionName} ({notice.ConnectionId})")
            .AppendLine(CultureInfo.InvariantCulture, $"State:        {(notice.Online ? "online" : "offline")}")
            .AppendLine(CultureInfo.InvariantCulture, $"Changed at:   {Timestamp(notice.ChangedAt)}")
            .AppendLine()
            .AppendLine(notice.Integrations.Count == 0 ? "No integration uses it." : "Integrations that use it:");
        foreach (var integration in notice.Integrations) text.AppendLine(CultureInfo.InvariantCulture, $"  - {integration}");
        var unnamed = notice.IntegrationCount - notice.Integrations.Count;
        var more = unnamed > 0 ? string.Create(CultureInfo.InvariantCulture, $"and {unnamed:N0} more") : null;
        if (more is not null) text.AppendLine(CultureInfo.InvariantCulture, $"  {more}");
        const string footer = "You receive this because you follow this connection. Changes within a few minutes of a notice are told once, with the final state.";
        text.AppendLine().AppendLine(footer);
        var items = string.Concat(notice.Integrations.Append(more).OfType<string>().Select(name => $"<li>{Html(name)}</li>"));
        var html = $"""
            {Head(subject)}
            <h2 style="margin:0 0 12px">{Html(subject)}</h2>
            <p>{Html(headline)}</p>
            <table style="border-collapse:collapse;margin:0 0 12px">
            <tr><td style="padding:2px 12px 2px 0"><b>Connection</b></td><td>{Html(notice.ConnectionName)} ({Html(notice.ConnectionId)})</td></tr>
            <tr><td style="padding:2px 12px 2px 0"><b>State</b></td><td>{(notice.Online ? "online" : "offline")}</td></tr>
            <tr><td style="padding:2px 12px 2px 0"><b>Changed at</b></td><td>{Html(Timestamp(notice.ChangedAt))}</td></tr>
            </table>
            <p>{(notice.Integrations.Count == 0 ? "No integration uses it." : "Integrations that use it:")}</p>
            <ul>{items}</ul>
            <p style="color:#666;font-size:12px">{Html(footer)}</p>
            </body></html>
            """;
        return Made(subject, text.ToString(), html);
    }

    /// <summary>SPEC §5: a platform event, every field as published.</summary>
    public static EmailContent PlatformEvent(PlatformEventNotice notice)
    {
        var subject = notice.Subject;
        var headline = $"{PlatformEventNotice.EventTitle(notice.EventType)} in {notice.OrganizationName} ({notice.Environment}) at {Timestamp(notice.Timestamp)}.";
        var rows = new List<(string Name, string Value)> { ("event_type", notice.EventType), ("event_id", notice.EventId) };
        rows.AddRange(notice.Fields.Select(f => (f.Key, f.Value)));
        var text = new StringBuilder().AppendLine(headline).AppendLine();
        foreach (var (name, value) in rows) text.AppendLine(CultureInfo.InvariantCulture, $"{name + ":",-20} {value}");
        const string footer = "You receive this because you are the organization's primary contact or subscribed to this event.";
        text.AppendLine().AppendLine(footer);
        var cells = string.Concat(rows.Select(r =>
            $"<tr><td style=\"padding:2px 12px 2px 0\"><b>{Html(r.Name)}</b></td><td>{Cell(r.Name, r.Value)}</td></tr>"));
        var html = $"""
            {Head(subject)}
            <h2 style="margin:0 0 12px">{Html(subject)}</h2>
            <p>{Html(headline)}</p>
            <table style="border-collapse:collapse;margin:0 0 12px">{cells}</table>
            <p style="color:#666;font-size:12px">{Html(footer)}</p>
            </body></html>
            """;
        return Made(subject, text.ToString(), html);
    }

    /// <summary>Issue 21: the platform events past the organization's e-mail budget in a window, counted per type.</summary>
    public static EmailContent PlatformEventSummary(PlatformEventSummary summary)
    {
        var (subject, headline) = (summary.Subject, summary.Summary);
        var text = new StringBuilder().AppendLine(headline).AppendLine();
        foreach (var folded in summary.Events)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{PlatformEventNotice.EventTitle(folded.EventType) + ":",-30} {folded.Count,6}   {Timestamp(folded.First)} – {Timestamp(folded.Last)}   last: {folded.LastEventId}");
        }
        const string footer = "You receive this because you are the organization's primary contact or subscribed to these events. Every event was still delivered to the webhooks that want it.";
        text.AppendLine().AppendLine(footer);
        var rows = string.Concat(summary.Events.Select(f =>
            $"<tr><td style=\"padding:2px 12px 2px 0\">{Html(PlatformEventNotice.EventTitle(f.EventType))}</td><td style=\"padding:2px 12px 2px 0;text-align:right\">{f.Count.ToString(CultureInfo.InvariantCulture)}</td><td style=\"padding:2px 12px 2px 0\">{Html(Timestamp(f.First))} – {Html(Timestamp(f.Last))}</td><td>{Html(f.LastEventId)}</td></tr>"));
        var html = $"""
            {Head(subject)}
            <h2 style="margin:0 0 12px">{Html(subject)}</h2>
            <p>{Html(headline)}</p>
            <table style="border-collapse:collapse;margin:0 0 12px"><tr><th align="left">Event</th><th align="right">Count</th><th align="left">First – last</th><th align="left">Last event id</th></tr>{rows}</table>
            <p style="color:#666;font-size:12px">{Html(footer)}</p>
            </body></html>
            """;
        return Made(subject, text.ToString(), html);
    }

    private static string Cell(string name, string value) =>
        name.EndsWith("_link", StringComparison.Ordinal) ? $"<a href=\"{Html(value)}\">{Html(value)}</a>" : Html(value);

    /// <summary>SPEC §6.3 and issue 10: a webhook failing, disabled, or delivering again, with a link to its page.</summary>
    public static EmailContent Webhook(WebhookNotice notice)
    {
        var (subject, summary) = (notice.Subject, notice.Summary);
        var text = new StringBuilder()
            .AppendLine(summary)
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Organization: {notice.OrganizationName} ({notice.Environment})")
            .AppendLine(CultureInfo.InvariantCulture, $"{(notice.What + ":").PadRight(13)} {notice.WebhookId}")
            .AppendLine(CultureInfo.InvariantCulture, $"URL:          {notice.Url}")
            .AppendLine(CultureInfo.InvariantCulture, $"Failures:     {notice.ConsecutiveFailures} in a row")
            .AppendLine(CultureInfo.InvariantCulture, $"Details:      {notice.PageUrl}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"You receive this because you own this {Owned(notice)}.");
        var html = $"""
            {Head(subject)}
            <h2 style="margin:0 0 12px">{Html(subject)}</h2>
            <p>{Html(summary)}</p>
            <table style="border-collapse:collapse;margin:0 0 12px">
            <tr><td style="padding:2px 12px 2px 0"><b>Organization</b></td><td>{Html(notice.OrganizationName)} ({Html(notice.Environment)})</td></tr>
            <tr><td style="padding:2px 12px 2px 0"><b>{Html(notice.What)}</b></td><td>{Html(notice.WebhookId)}</td></tr>
            <tr><td style="padding:2px 12px 2px 0"><b>URL</b></td><td>{Html(notice.Url)}</td></tr>
            <tr><td style="padding:2px 12px 2px 0"><b>Failures</b></td><td>{notice.ConsecutiveFailures} in a row</td></tr>
            </table>
            <p><a href="{Html(notice.PageUrl)}">Open its page</a></p>
            <p style="color:#666;font-size:12px">You receive this because you own this {Html(Owned(notice))}.</p>
            </body></html>
            """;
        return Made(subject, text.ToString(), html);
    }

    private static string Owned(WebhookNotice notice) => notice.Noun is null ? "webhook subscription" : "delivery target (or administer its organization)";

    /// <summary>Issue 22: a test a user asked for — what reached them, and where to see why alerts do or do not.</summary>
    public static EmailContent Test(TestNotification test, string decisionsUrl)
    {
        var subject = test.Subject;
        var summary = $"This is a test notification for {test.UserId} of {test.OrganizationName} ({test.Environment}), asked for at {Timestamp(test.RequestedAt)}. " +
            "It went through the same outbox, pacing and retries as real alerts. Nothing is wrong.";
        var text = new StringBuilder()
            .AppendLine(summary)
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Why an alert did or did not reach you: {decisionsUrl}")
            .AppendLine()
            .AppendLine("You receive this because a test was asked for your user.");
        var html = $"""
            {Head(subject)}
            <h2 style="margin:0 0 12px">{Html(subject)}</h2>
            <p>{Html(summary)}</p>
            <p><a href="{Html(decisionsUrl)}">Why an alert did or did not reach you</a></p>
            <p style="color:#666;font-size:12px">You receive this because a test was asked for your user.</p>
            </body></html>
            """;
        return Made(subject, text.ToString(), html);
    }

    private static string CsvSummary(CsvLink csv) =>
        string.Create(CultureInfo.InvariantCulture, $"CSV, {csv.Rows} error{(csv.Rows == 1 ? "" : "s")}");

    private static string CappedNote(CsvLink csv) =>
        string.Create(CultureInfo.InvariantCulture, $"There were more errors than the export limit: the CSV holds the first {csv.Rows}.");

    private static string Footer(Direction direction) =>
        $"You receive this because you are subscribed to {direction.ErrorEvent()}. " +
        "No further alert is sent for this direction until its interval has passed.";

    private static string Timestamp(DateTimeOffset at) => NotificationText.Timestamp(at);

    private static string Html(string value) => WebUtility.HtmlEncode(value);

    /// <summary>A whole HTML document up to the body: a title, and a viewport so it reads well on a phone.</summary>
    private static string Head(string subject) =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        $"<title>{Html(subject)}</title></head>\n<body style=\"font-family:Arial,Helvetica,sans-serif;color:#222;max-width:680px;margin:0 auto;padding:12px\">";

    /// <summary>Every e-mail leaves this way: without control characters or bidirectional overrides (<see cref="TextSafety"/>).</summary>
    private static EmailContent Made(string subject, string text, string html, string? manageUrl = null) =>
        new(TextSafety.Clean(subject), TextSafety.Clean(text), TextSafety.Clean(html), manageUrl);
}
