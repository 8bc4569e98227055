using System.Net;
using System.Text.RegularExpressions;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>SPEC §2.5: the threshold e-mail links to a CSV of exactly the errors it is about, signed and expiring.</summary>
[Collection(StackTests.Name)]
public sealed partial class CsvExportTests(StackFixture stack)
{
    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/devstoreaccount1/\S+")]
    internal static partial Regex Link();

    [Fact]
    public async Task The_email_links_to_a_csv_of_exactly_the_reported_errors()
    {
        var org = await ApiScenario.CreateAsync(stack.Api, limit: 5);
        await org.AddUserAsync("ops", "outgoing_integration__error");
        await org.AddIntegrationAsync("crm", "outbound_webhook", "CRM sync");
        await org.AddIntegrationAsync("hook", "inbound_webhook", "Shop hook");
        await org.PostErrorsAsync("hook", 3, "incoming");
        var events = new object[]
        {
            new { event_id = "formula", integration_id = "crm", outcome = "error", status_code = 404, message = "=HYPERLINK(\"http://evil.test\",\"click\")", flow = "sync", trace_key = "k1" },
            new { event_id = "e2", integration_id = "crm", outcome = "error", status_code = 502, message = "Bad Gateway, \"upstream\"" },
            new { event_id = "ok", integration_id = "crm", outcome = "success" },
            new { event_id = "e3", integration_id = "crm", outcome = "error" },
            new { event_id = "e4", integration_id = "crm", outcome = "error", occurred_at = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O") },
            new { event_id = "e5", integration_id = "crm", outcome = "error", status_code = 500 },
        };
        var (status, _) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Post, $"{org.Path}/events", ApiScenario.Json(new { events }));
        Assert.Equal(HttpStatusCode.Accepted, status);

        var mail = Assert.Single(await stack.Inbox.WaitForAsync(org.Domain, 1));
        Assert.Contains("(CSV, 5 errors)", mail.Text);
        var link = new Uri(Link().Match(mail.Text).Value);
        Assert.Contains(WebUtility.HtmlEncode(link.AbsoluteUri), mail.Html);

        using var browser = new HttpClient();
        using var response = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var csv = await response.Content.ReadAsStringAsync();
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("occurred_at,integration_id,integration_name,type,direction,status_code,status_name,message", rows[0]);
        Assert.Equal(["e2", "e3", "e4", "e5", "formula"], rows.Skip(1).Select(r => r[(r.LastIndexOf(',') + 1)..]).Order());
        var formula = rows.Single(r => r.EndsWith(",formula", StringComparison.Ordinal));
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.test\"\",\"\"click\"\")\"", formula);
        Assert.Contains(",404,Not Found,", formula);
        Assert.Contains("CRM sync,outbound_webhook,outgoing", formula);

        // Without its signature the same address is refused.
        using var unsigned = await browser.GetAsync(link.GetLeftPart(UriPartial.Path));
        Assert.False(unsigned.IsSuccessStatusCode);
        Assert.DoesNotContain("event_id", await unsigned.Content.ReadAsStringAsync());
    }
}

/// <summary>A link stops working when it expires (a short lifetime stands in for 24 hours).</summary>
public sealed class CsvLinkExpiryTests
{
    [Fact]
    public async Task The_link_fails_after_its_expiry()
    {
        await using var deployment = await new LocalDeployment(settings: new Dictionary<string, string> { ["Alerts__Export__LinkLifetime"] = "00:00:08" }).StartAllAsync();
        var org = await ApiScenario.CreateAsync(deployment.Api, limit: 2);
        await org.AddUserAsync("ops", "outgoing_integration__error");
        await org.AddIntegrationAsync("crm", "outbound_webhook");
        await org.PostErrorsAsync("crm", 2);

        var mail = Assert.Single(await deployment.Inbox.WaitForAsync(org.Domain, 1));
        var link = new Uri(CsvExportTests.Link().Match(mail.Text).Value);
        using var browser = new HttpClient();
        using (var fresh = await browser.GetAsync(link)) Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(10));
        using var expired = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
    }
}
