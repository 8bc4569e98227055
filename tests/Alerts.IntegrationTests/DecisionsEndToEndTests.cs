using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// "Why was I (not) alerted?" over real HTTP on the local stack (issue 22): the decision log explained for a user, its
/// refusals, and a test notification that arrives in maildev and is listed in the notification log.
/// </summary>
[Collection(StackTests.Name)]
public sealed class DecisionsEndToEndTests(StackFixture stack)
{
    [Fact]
    public async Task The_decision_log_says_who_was_alerted_and_why_others_were_not()
    {
        var org = await ApiScenario.CreateAsync(stack.Api, limit: 3);
        await org.AddUserAsync("ops", "outgoing_integration__error");
        await org.AddUserAsync("support", "incoming_webhook__error");
        await org.AddIntegrationAsync("crm", "outbound_webhook", "CRM sync");

        await org.PostErrorsAsync("crm", 2);
        await org.PostErrorsAsync("crm", 1);
        await stack.Inbox.WaitForAsync(org.Domain, 1);
        await org.PostErrorsAsync("crm", 1);

        async Task<JsonArray> DecisionsAsync(string query) => (await stack.Api.GetFromJsonAsync<JsonNode>($"{org.Path}/decisions{query}"))!["items"]!.AsArray();
        JsonArray items = [];
        await Eventually.TrueAsync(async () =>
        {
            items = await DecisionsAsync("?user_id=ops");
            return items.Any(d => (string)d!["outcome"]! == "fired" && (bool)d["for_user"]!["notified"]!);
        }, "the alert is logged as sent to ops", TimeSpan.FromSeconds(30));
        Assert.Equal(["cooldown", "fired", "below_limit"], items.Select(d => (string)d!["outcome"]!));
        var fired = items[1]!;
        Assert.Equal(("outgoing", 3, 3, "1h"), ((string)fired["direction"]!, (int)fired["errors"]!, (int)fired["limit"]!, (string)fired["interval"]!));
        Assert.StartsWith("threshold-outgoing-", (string)fired["notification_id"]!);
        Assert.StartsWith($"Sent to ops@{org.Domain} at ", (string)fired["for_user"]!["reason"]!);
        Assert.Contains("Held by the cooldown", (string)items[0]!["summary"]!);
        Assert.Equal("Below the limit: 2 of 3 errors within 1h.", (string)items[2]!["summary"]!);

        var forSupport = await DecisionsAsync("?user_id=support&direction=outgoing");
        Assert.False((bool)forSupport[1]!["for_user"]!["notified"]!);
        Assert.Contains("support is not subscribed to outgoing_integration__error", (string)forSupport[1]!["for_user"]!["reason"]!);
        Assert.All(await DecisionsAsync("?limit=1"), d => Assert.Null(d!["for_user"]));

        foreach (var (query, field, status) in new[]
        {
            ("?direction=sideways", "direction", HttpStatusCode.BadRequest), ("?limit=0", "limit", HttpStatusCode.BadRequest),
            ("?limit=201", "limit", HttpStatusCode.BadRequest), ("?user_id=no%20one", "user_id", HttpStatusCode.BadRequest),
        })
        {
            using var refused = await stack.Api.GetAsync($"{org.Path}/decisions{query}");
            var problem = (await refused.Content.ReadFromJsonAsync<JsonNode>())!;
            Assert.True(refused.StatusCode == status, problem.ToJsonString());
            Assert.NotNull(problem["errors"]![field]);
        }
        using (var unknown = await stack.Api.GetAsync($"{org.Path}/decisions?user_id=ghost")) Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using (var noOrg = await stack.Api.GetAsync("/api/v1/orgs/org-none/decisions")) Assert.Equal(HttpStatusCode.NotFound, noOrg.StatusCode);
    }

    [Fact]
    public async Task A_test_notification_goes_through_the_pipeline_to_the_user_only()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        await org.AddUserAsync("ops", "outgoing_integration__error");
        await org.AddUserAsync("other", "outgoing_integration__error");

        using var sent = await stack.Api.PostAsync($"{org.Path}/users/ops/test-notification", null);
        var body = (await sent.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.True(sent.StatusCode == HttpStatusCode.Accepted, body.ToJsonString());
        var id = (string)body["notification_id"]!;

        var mail = Assert.Single(await stack.Inbox.WaitForAsync(org.Domain, 1));
        Assert.Equal([$"ops@{org.Domain}"], mail.To);
        Assert.Equal("[Test] Alerts can reach you", mail.Subject);
        Assert.Contains($"/ui/orgs/{org.OrgId}/decisions", mail.Text);
        await Eventually.TrueAsync(async () => (await org.NotificationsAsync()).Any(n => (string)n!["id"]! == id && (string)n["status"]! == "sent"),
            "the test is logged as sent", TimeSpan.FromSeconds(30));
        Assert.Equal("test", (string)(await org.NotificationsAsync()).Single(n => (string)n!["id"]! == id)!["kind"]!);

        using (var nobody = await stack.Api.PostAsync($"{org.Path}/users/ghost/test-notification", null)) Assert.Equal(HttpStatusCode.NotFound, nobody.StatusCode);
        using (var bad = await stack.Api.PostAsync($"{org.Path}/users/no%20one/test-notification", null)) Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
