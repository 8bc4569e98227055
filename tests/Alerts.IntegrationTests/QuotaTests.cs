using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// Issue 21, item 3, through real HTTP: each of an organization's collections stops at its quota with a 409 that names
/// it, and every list pages by id with <c>limit</c> and <c>cursor</c>.
/// </summary>
[Collection(LimitsStackTests.Name)]
public sealed class QuotaTests(LimitsStackFixture stack)
{
    private static async Task<(HttpStatusCode Status, string Text)> SendAsync(HttpClient api, HttpMethod method, string path, object body)
    {
        using var response = await api.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static void AssertQuota((HttpStatusCode Status, string Text) answer, string name, int limit)
    {
        Assert.True(answer.Status == HttpStatusCode.Conflict, $"expected 409, got {(int)answer.Status}: {answer.Text}");
        var errors = JsonNode.Parse(answer.Text)!["errors"]!.AsObject();
        var message = (string)errors[$"quota.{name}"]![0]!;
        Assert.Contains($"at most {limit}", message, StringComparison.Ordinal);
        Assert.Contains($"Alerts:Quotas:{char.ToUpperInvariant(name[0])}{name[1..]}", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_collection_stops_at_its_quota_with_a_409_naming_it_and_replacing_is_still_allowed()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        for (var i = 0; i < LimitsStackFixture.Users; i++) await org.AddUserAsync($"u{i}");
        AssertQuota(await SendAsync(stack.Api, HttpMethod.Put, $"{org.Path}/users/one-too-many",
            new { email = $"x@{org.Domain}", name = "x", role = "monitor", notification_events = Array.Empty<string>() }), "users", LimitsStackFixture.Users);
        // An existing user can still be changed, and a place freed is a place to use.
        await org.AddUserAsync("u0", "run_failed");
        using (var deleted = await stack.Api.DeleteAsync($"{org.Path}/users/u2")) Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await org.AddUserAsync("u3");

        for (var i = 0; i < LimitsStackFixture.Integrations; i++) await org.AddIntegrationAsync($"i{i}", "outbound_webhook");
        AssertQuota(await SendAsync(stack.Api, HttpMethod.Put, $"{org.Path}/integrations/one-too-many", new { name = "x", type = "outbound_webhook" }),
            "integrations", LimitsStackFixture.Integrations);
        await org.AddIntegrationAsync("i0", "inbound_webhook", "renamed");

        for (var i = 0; i < LimitsStackFixture.Connections; i++)
            await org.PutOkAsync($"{org.Path}/connections/c{i}", new { name = $"c{i}", integration_ids = new[] { "i0" } });
        AssertQuota(await SendAsync(stack.Api, HttpMethod.Put, $"{org.Path}/connections/one-too-many", new { name = "x", integration_ids = Array.Empty<string>() }),
            "connections", LimitsStackFixture.Connections);

        for (var i = 0; i < LimitsStackFixture.Webhooks; i++)
        {
            var created = await SendAsync(stack.Api, HttpMethod.Post, $"{org.Path}/webhooks", new { url = $"http://127.0.0.1:9/hook-{i}", events = new[] { "run_failed" }, owner_user_id = "u0" });
            Assert.True(created.Status == HttpStatusCode.Created, created.Text);
        }
        AssertQuota(await SendAsync(stack.Api, HttpMethod.Post, $"{org.Path}/webhooks", new { url = "http://127.0.0.1:9/hook-x", events = new[] { "run_failed" }, owner_user_id = "u0" }),
            "webhooks", LimitsStackFixture.Webhooks);

        for (var i = 0; i < LimitsStackFixture.Keys; i++) await AbuseLimitsTests.KeyAsync(org, "monitor");
        AssertQuota(await SendAsync(stack.Api, HttpMethod.Post, $"{org.Path}/keys", new { role = "monitor" }), "keys", LimitsStackFixture.Keys);
    }

    [Theory]
    [InlineData("users", "users", "user_id")]
    [InlineData("integrations", "integrations", "integration_id")]
    [InlineData("connections", "connections", "connection_id")]
    [InlineData("keys", "items", "id")]
    [InlineData("webhooks", "items", "id")]
    public async Task Lists_page_by_id_with_limit_and_cursor(string list, string field, string id)
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        await org.AddUserAsync("u0");
        await org.AddIntegrationAsync("i0", "outbound_webhook");
        for (var i = 1; i < 3; i++)
        {
            await org.AddUserAsync($"u{i}");
            await org.AddIntegrationAsync($"i{i}", "outbound_webhook");
        }
        for (var i = 0; i < 2; i++) await org.PutOkAsync($"{org.Path}/connections/c{i}", new { name = $"c{i}", integration_ids = Array.Empty<string>() });
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Created, (await SendAsync(stack.Api, HttpMethod.Post, $"{org.Path}/webhooks", new { url = $"http://127.0.0.1:9/h{i}", events = new[] { "run_failed" }, owner_user_id = "u0" })).Status);
        for (var i = 0; i < 3; i++) await AbuseLimitsTests.KeyAsync(org, "monitor");

        var everything = (await stack.Api.GetFromJsonAsync<JsonNode>($"{org.Path}/{list}"))!;
        var all = everything[field]!.AsArray().Select(item => (string)item![id]!).ToList();
        Assert.True(all.Count >= 2, $"{list}: {all.Count}");
        Assert.Null((string?)everything["next"]);
        Assert.Equal(all.Order(StringComparer.Ordinal), all);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = (await stack.Api.GetFromJsonAsync<JsonNode>($"{org.Path}/{list}?limit=1" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")))!;
            var items = page[field]!.AsArray();
            Assert.Single(items);
            seen.Add((string)items[0]![id]!);
            cursor = (string?)page["next"];
            pages++;
        }
        while (cursor is not null && pages < 10);
        Assert.Equal(all, seen);

        foreach (var (query, named) in new[] { ("limit=0", "limit"), ("limit=1001", "limit"), ("cursor=not-a-cursor", "cursor") })
        {
            using var bad = await stack.Api.GetAsync($"{org.Path}/{list}?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains($"\"{named}\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
