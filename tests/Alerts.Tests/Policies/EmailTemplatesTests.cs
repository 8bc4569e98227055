using Alerts.Contracts;
using Alerts.Grains.Notify;

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
}
