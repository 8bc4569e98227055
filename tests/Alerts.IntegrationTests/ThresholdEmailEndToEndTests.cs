using System.Net.Http.Json;
using System.Globalization;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>The README walkthrough, driven over real HTTP, counted by the real silo and read back from maildev.</summary>
[Collection(StackTests.Name)]
public sealed class ThresholdEmailEndToEndTests(StackFixture stack)
{
    [Fact]
    public async Task Five_errors_over_http_send_exactly_one_email_to_the_subscribed_user()
    {
        var org = await ApiScenario.CreateAsync(stack.Api, environment: "staging", production: false);
        await org.AddUserAsync("ops", "outgoing_integration__error");
        await org.AddUserAsync("support", "incoming_webhook__error");
        await org.AddIntegrationAsync("crm", "outbound_webhook", "CRM sync");

        await org.PostErrorsAsync("crm", 4);
        Assert.Empty(await org.NotificationsAsync());

        var result = await org.PostErrorsAsync("crm", 1);
        Assert.Equal(1, (int)result["accepted"]!);

        var mail = Assert.Single(await stack.Inbox.WaitForAsync(org.Domain, 1));
        Assert.Equal("[staging] Integration error threshold exceeded", mail.Subject);
        Assert.Equal([$"ops@{org.Domain}"], mail.To);
        Assert.Contains("5 errors in outgoing integrations", mail.Text);
        Assert.Contains($"Org {org.OrgId}", mail.Text);
        Assert.Contains("CRM sync", mail.Text);
        Assert.Contains("CRM sync", mail.Html);
        // What helps: the codes with the catalog's name and advice for an outgoing integration, the latest message, links.
        Assert.Contains("502 Bad Gateway: 5 errors", mail.Text);
        Assert.Contains("What to do: A proxy at the provider could not reach its backend.", mail.Text);
        Assert.Contains("Latest errors:", mail.Text);
        Assert.Contains("CRM sync [502]: Bad Gateway", mail.Text);
        Assert.Contains("The count covers the errors since", mail.Text);
        Assert.Contains($"/ui/orgs/{org.OrgId}/failures", mail.Text);
        Assert.Contains("<meta name=\"viewport\"", mail.Html);

        var notification = Assert.Single(await org.NotificationsAsync());
        Assert.Equal("threshold_exceeded", (string)notification!["kind"]!);
        Assert.Equal("outgoing", (string)notification["direction"]!);
        await Task.Delay(500);
        Assert.Single(await stack.Inbox.MessagesToAsync(org.Domain));

        var lastFailureAt = (await org.Api.GetFromJsonAsync<System.Text.Json.Nodes.JsonNode>(org.Path))!
            ["settings"]!["integration_notifications"]!["outgoing_integrations"]!["last_failure_at"];
        Assert.NotNull(lastFailureAt);
        Assert.True(DateTimeOffset.Parse((string)lastFailureAt!, CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task A_production_organization_gets_the_plain_subject_and_further_errors_wait_for_the_cooldown()
    {
        var org = await ApiScenario.CreateAsync(stack.Api, environment: "production");
        await org.AddUserAsync("ops", "outgoing_integration__error");
        await org.AddIntegrationAsync("erp", "prebuilt");

        await org.PostErrorsAsync("erp", 5);
        await org.PostErrorsAsync("erp", 10);

        var mail = Assert.Single(await stack.Inbox.WaitForAsync(org.Domain, 1));
        Assert.Equal("Integration error threshold exceeded", mail.Subject);
        await Task.Delay(500);
        Assert.Single(await stack.Inbox.MessagesToAsync(org.Domain));
        Assert.Single(await org.NotificationsAsync());
    }
}
