using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Grains.Stores;
using Alerts.Silo.Notify.Email;
using Alerts.Silo.Notify.Exports;

namespace Alerts.Tests.Policies;

public sealed class EmailTemplatesTests
{
    private static ThresholdAlert Alert(bool production = true, string name = "Acme <Prod>") => new(
        "acme", name, production ? "production" : "sandbox", production, Direction.Incoming, 12, true, FailureInterval.FifteenMinutes,
        new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 22, 10, 15, 0, TimeSpan.Zero),
        [new FailingIntegration("shop", "Shop & Co webhook", IntegrationType.InboundWebhook, 9), new FailingIntegration("ev", "Events", IntegrationType.CustomEvent, 3)],
        new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_threshold_email_says_how_many_errors_where_and_which_integrations()
    {
        var email = EmailTemplates.ThresholdExceeded(Alert(), csv: null);
        Assert.Equal("Integration error threshold exceeded", email.Subject);
        Assert.Contains("12 errors in incoming webhooks of Acme <Prod> (production)", email.Text);
        Assert.Contains("Shop & Co webhook (inbound_webhook): 9 errors", email.Text);
        Assert.Contains("Events (custom_event): 3 errors", email.Text);
        Assert.Contains("incoming_webhook__error", email.Text);
    }

    [Fact]
    public void The_html_body_escapes_what_users_typed()
    {
        var html = EmailTemplates.ThresholdExceeded(Alert(), csv: null).Html;
        Assert.Contains("Acme &lt;Prod&gt;", html);
        Assert.Contains("Shop &amp; Co webhook", html);
        Assert.DoesNotContain("<Prod>", html);
    }

    [Fact]
    public void A_non_production_subject_starts_with_the_environment()
    {
        Assert.Equal("[sandbox] Integration error threshold exceeded", EmailTemplates.ThresholdExceeded(Alert(production: false), null).Subject);
    }

    [Fact]
    public void A_subject_stays_on_one_line_whatever_the_environment_or_names_hold()
    {
        // An environment (typed by whoever set up the organization) cannot add a header to the message.
        var subject = Alerts.Grains.Notify.NotificationText.Subject("Integration error threshold exceeded", "sandbox\r\nBcc: everyone@example.com", production: false);
        Assert.Equal("[sandbox  Bcc: everyone@example.com] Integration error threshold exceeded", subject);
        Assert.DoesNotContain('\r', subject);
        Assert.DoesNotContain('\n', subject);
    }

    [Fact]
    public void A_csv_link_is_included_absolute_with_its_expiry()
    {
        var link = new CsvLink(new Uri("https://files.example.test/exports/a.csv?sig=abc&se=x"), 12, false, new DateTimeOffset(2026, 11, 23, 10, 15, 0, TimeSpan.Zero));
        var email = EmailTemplates.ThresholdExceeded(Alert(), link);
        Assert.Contains("https://files.example.test/exports/a.csv?sig=abc&se=x", email.Text);
        Assert.Contains("since 2026-11-21 10:00:00 UTC (CSV, 12 errors)", email.Text);
        Assert.Contains("works until 2026-11-23 10:15:00 UTC", email.Text);
        Assert.Contains("href=\"https://files.example.test/exports/a.csv?sig=abc&amp;se=x\"", email.Html);
        Assert.DoesNotContain("export limit", email.Text);
    }

    [Fact]
    public void A_capped_csv_says_so()
    {
        var link = new CsvLink(new Uri("https://files.example.test/a.csv"), 100, true, DateTimeOffset.UnixEpoch);
        var email = EmailTemplates.ThresholdExceeded(Alert(), link);
        Assert.Contains("the CSV holds the first 100", email.Text);
        Assert.Contains("the CSV holds the first 100", email.Html);
    }

    private static ThresholdDetails Details() => new(
        [new CodeLine(429, "Too Many Requests", 7, "The caller exceeded the tenant's rate limit."), new CodeLine(null, "No code", 2, null)],
        [new LatestLine(new DateTimeOffset(2026, 11, 22, 10, 14, 0, TimeSpan.Zero), "Shop & Co webhook", 429, "rate <limited>")],
        "https://alerts.example/ui/orgs/acme/failures", "https://alerts.example/ui/orgs/acme/users");

    [Fact]
    public void The_threshold_email_names_its_top_codes_with_guidance_the_latest_errors_and_what_count_and_csv_cover()
    {
        var email = EmailTemplates.ThresholdExceeded(Alert(), csv: null, Details());
        Assert.Contains("429 Too Many Requests: 7 errors", email.Text);
        Assert.Contains("What to do: The caller exceeded the tenant's rate limit.", email.Text);
        Assert.Contains("No code: 2 errors", email.Text);
        Assert.Contains("2026-11-22 10:14:00 UTC Shop & Co webhook [429]: rate <limited>", email.Text);
        Assert.Contains("The count covers the errors since 2026-11-22 10:00:00 UTC", email.Text);
        Assert.Contains("the CSV covers every error since 2026-11-21 10:00:00 UTC", email.Text);
        Assert.Contains("https://alerts.example/ui/orgs/acme/failures", email.Text);
        Assert.Contains("Manage what you receive: https://alerts.example/ui/orgs/acme/users", email.Text);
        Assert.Equal("https://alerts.example/ui/orgs/acme/users", email.ManageUrl);
        Assert.Contains("rate &lt;limited&gt;", email.Html);
        Assert.Contains("<a href=\"https://alerts.example/ui/orgs/acme/failures\">", email.Html);
    }

    private static ErrorView Error(string id, int? code, string message, ErrorStatus status = ErrorStatus.Open) => new(
        id, "crm", "sync", null, code, message, null, status, new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 11, 22, 10, 5, 0, TimeSpan.Zero), 1, null, null, null, null, null);

    [Fact]
    public void A_digest_advises_once_per_code_and_integration_type_for_open_errors_never_for_resolved_ones()
    {
        var (outbound, inbound) = (IntegrationType.OutboundWebhook, IntegrationType.InboundWebhook);
        var digest = new ErrorDigest("acme", "Acme", "production", true, new DateTimeOffset(2026, 11, 22, 10, 15, 0, TimeSpan.Zero), null,
            New: new DigestPart(2, [new DigestLine(Error("crm:1", 502, "upstream down"), "CRM", outbound), new DigestLine(Error("crm:2", 502, "again"), "CRM", outbound)]),
            Resolved: new DigestPart(1, [new DigestLine(Error("crm:3", 401, "expired token", ErrorStatus.Resolved), "CRM", outbound)]),
            Open: new DigestPart(2, [new DigestLine(Error("crm:4", 429, "slow down"), "CRM", outbound), new DigestLine(Error("shop:1", 429, "too fast"), "Shop", inbound)]),
            ErrorsUrl: null);

        var email = EmailTemplates.Digest(digest);

        var advice502 = $"What to do: {ErrorCatalog.Guidance(502, outbound)}";
        var advice429 = $"What to do: {ErrorCatalog.Guidance(429, outbound)}";
        Assert.Single(email.Text.Split('\n'), line => line.Trim() == advice502);
        Assert.Contains(advice429, email.Text);
        // The same code on an integration of another type gets that type's advice too.
        var inboundAdvice429 = $"What to do: {ErrorCatalog.Guidance(429, inbound)}";
        Assert.NotEqual(advice429, inboundAdvice429);
        Assert.Contains(inboundAdvice429, email.Text);
        Assert.DoesNotContain($"What to do: {ErrorCatalog.Guidance(401, outbound)}", email.Text);
        Assert.Contains("[502 Bad Gateway]", email.Text);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(advice502), email.Html);
    }

    [Fact]
    public void A_digest_lists_the_errors_under_a_mute_apart_after_the_others_with_the_reason()
    {
        var outbound = IntegrationType.OutboundWebhook;
        var digest = new ErrorDigest("acme", "Acme", "production", true, new DateTimeOffset(2026, 11, 22, 10, 15, 0, TimeSpan.Zero), null,
            New: new DigestPart(2, [new DigestLine(Error("crm:1", 502, "during the migration"), "CRM", outbound, MutedBecause: "CRM migration"),
                new DigestLine(Error("crm:2", 500, "unrelated"), "Shop", outbound)]),
            Resolved: DigestPart.Empty, Open: DigestPart.Empty, ErrorsUrl: null);

        var lines = EmailTemplates.Digest(digest).Text.Split('\n').Select(l => l.TrimEnd()).ToList();
        var unrelated = lines.FindIndex(l => l.Contains("unrelated", StringComparison.Ordinal) || l.StartsWith("  - Shop", StringComparison.Ordinal));
        var heading = lines.IndexOf("  While muted:");
        var muted = lines.FindIndex(l => l.Contains("(muted: CRM migration)", StringComparison.Ordinal));
        Assert.True(unrelated >= 0 && heading > unrelated && muted > heading, string.Join("\n", lines));
        Assert.Contains("While muted:", EmailTemplates.Digest(digest).Html);
    }

    [Fact]
    public void Every_email_is_a_whole_html_document_that_fits_a_phone()
    {
        foreach (var html in new[]
        {
            EmailTemplates.ThresholdExceeded(Alert(), null).Html,
            EmailTemplates.ConnectionChanged(new ConnectionNotice("acme", "Acme", "production", true, "db", "DB", false, DateTimeOffset.UnixEpoch, [])).Html,
        })
        {
            Assert.StartsWith("<!DOCTYPE html>", html.TrimStart());
            Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html);
            Assert.Matches("<title>[^<]+</title>", html);
            Assert.Contains("</body></html>", html);
        }
    }

    [Fact]
    public void Control_characters_and_bidirectional_overrides_never_reach_an_email()
    {
        var email = EmailTemplates.ThresholdExceeded(Alert(name: "Acme\u202Egnp.exe\0\u2066x\u2069"), null, Details());
        foreach (var part in new[] { email.Subject, email.Text, email.Html })
        {
            Assert.DoesNotContain('\u202E', part);
            Assert.DoesNotContain('\0', part);
            Assert.DoesNotContain('\u2066', part);
        }
        Assert.Contains("Acmegnp.exex", email.Text);
        Assert.Equal("a\tb\r\nc", TextSafety.Clean("a\tb\r\n\u0007c\u200F"));
    }
}
