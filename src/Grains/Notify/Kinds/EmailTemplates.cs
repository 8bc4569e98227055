using System.Globalization;
using System.Net;
using System.Text;
using Alerts.Contracts;

namespace Alerts.Grains.Notify;

/// <summary>A rendered e-mail: every kind has a subject, a plain-text body and an HTML body.</summary>
public sealed record EmailContent(string Subject, string Text, string Html);

/// <summary>A signed, expiring link to a CSV of error details, and what it holds.</summary>
public sealed record CsvLink(Uri Url, int Rows, bool Capped, DateTimeOffset ExpiresAt);

/// <summary>
/// The one place where the words of every e-mail Alerts sends are written. Each message names the
/// organization and its environment; links are absolute.
/// </summary>
public static class EmailTemplates
{
    public const string ThresholdSubject = "Integration error threshold exceeded";

    /// <summary>Non-production organizations put their environment first (SPEC §1): <c>[staging] …</c>.</summary>
    public static string Subject(string title, string environment, bool production) =>
        production ? title : $"[{environment}] {title}";

    public static string DirectionPhrase(Direction direction) =>
        direction == Direction.Outgoing ? "outgoing integrations" : "incoming webhooks";

    public static EmailContent ThresholdExceeded(ThresholdAlert alert, CsvLink? csv)
    {
        var subject = Subject(ThresholdSubject, alert.Environment, alert.Production);
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
        if (csv is not null)
        {
            text.AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"Download the error details since {Timestamp(alert.ExportSince)} ({CsvSummary(csv)}):")
                .AppendLine(csv.Url.AbsoluteUri)
                .AppendLine(CultureInfo.InvariantCulture, $"The link works until {Timestamp(csv.ExpiresAt)}.");
            if (csv.Capped) text.AppendLine(CappedNote(csv));
        }
        text.AppendLine().AppendLine(Footer(alert.AlertDirection));

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
            <!DOCTYPE html>
            <html><body style="font-family:Arial,Helvetica,sans-serif;color:#222">
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
            {link}
            <p style="color:#666;font-size:12px">{Html(Footer(alert.AlertDirection))}</p>
            </body></html>
            """;
        return new EmailContent(subject, text.ToString(), html);
    }

    private static string CsvSummary(CsvLink csv) =>
        string.Create(CultureInfo.InvariantCulture, $"CSV, {csv.Rows} error{(csv.Rows == 1 ? "" : "s")}");

    private static string CappedNote(CsvLink csv) =>
        string.Create(CultureInfo.InvariantCulture, $"There were more errors than the export limit: the CSV holds the first {csv.Rows}.");

    private static string Footer(Direction direction) =>
        $"You receive this because you are subscribed to {direction.ErrorEvent()}. " +
        "No further alert is sent for this direction until its interval has passed.";

    private static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Html(string value) => WebUtility.HtmlEncode(value);
}
