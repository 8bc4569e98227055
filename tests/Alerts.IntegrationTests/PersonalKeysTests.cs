using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// Issue 21, item 7, through real HTTP: a key tied to a user reads and marks only that user's in-app notifications and
/// resolves errors as that user; untied keys behave as before.
/// </summary>
[Collection(LimitsStackTests.Name)]
public sealed class PersonalKeysTests(LimitsStackFixture stack)
{
    private static async Task<ApiScenario> OrgWithTwoPeopleAsync(HttpClient api)
    {
        var org = await ApiScenario.CreateAsync(api);
        await org.PutOkAsync($"{org.Path}/users/ann", new { email = $"ann@{org.Domain}", name = "Ann", role = "admin", notification_events = Array.Empty<string>() });
        await org.PutOkAsync($"{org.Path}/users/bob", new { email = $"bob@{org.Domain}", name = "Bob", role = "monitor", notification_events = Array.Empty<string>() });
        return org;
    }

    [Fact]
    public async Task A_key_tied_to_a_user_reads_and_marks_only_that_users_inbox()
    {
        var org = await OrgWithTwoPeopleAsync(stack.Api);
        using var bobs = stack.From("127.0.0.5", await AbuseLimitsTests.KeyAsync(org, "monitor", "bob"));

        var whoami = (await bobs.GetFromJsonAsync<JsonNode>("/api/v1/whoami"))!;
        Assert.Equal("bob", (string?)whoami["user_id"]);
        using (var own = await bobs.GetAsync($"{org.Path}/users/bob/notifications")) Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        using (var markOwn = await bobs.PostAsync($"{org.Path}/users/bob/notifications/read", null)) Assert.True(markOwn.IsSuccessStatusCode);

        foreach (var (method, path) in new[] { (HttpMethod.Get, "/users/ann/notifications"), (HttpMethod.Post, "/users/ann/notifications/read"), (HttpMethod.Post, "/users/ann/test-notification"),
            (HttpMethod.Get, "/users/ann/targets"), (HttpMethod.Post, "/users/ann/targets"), (HttpMethod.Post, "/users/ann/targets/tgt_x/test") })
        {
            using var response = await bobs.SendAsync(new HttpRequestMessage(method, org.Path + path));
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("user_id must be 'bob'", text, StringComparison.Ordinal);
        }

        // bob's own delivery targets are his to manage with his monitor key (past authorization: the URL is then checked).
        using (var ownTarget = await bobs.PostAsJsonAsync($"{org.Path}/users/bob/targets", new { type = "slack", url = "http://10.0.0.1/hook" }))
        {
            var answer = await ownTarget.Content.ReadAsStringAsync();
            Assert.True(ownTarget.StatusCode == HttpStatusCode.BadRequest && answer.Contains("private address", StringComparison.Ordinal), answer);
        }

        // Keys list their user; an untied monitor key still reads anyone's inbox, as before.
        var keys = (await stack.Api.GetFromJsonAsync<JsonNode>($"{org.Path}/keys"))!["items"]!.AsArray();
        Assert.Contains(keys, k => (string?)k!["user_id"] == "bob");
        using var untied = stack.From("127.0.0.5", await AbuseLimitsTests.KeyAsync(org, "monitor"));
        using (var anns = await untied.GetAsync($"{org.Path}/users/ann/notifications")) Assert.Equal(HttpStatusCode.OK, anns.StatusCode);
    }

    [Fact]
    public async Task Only_admin_and_monitor_keys_can_be_tied_and_only_to_a_user_that_exists()
    {
        var org = await OrgWithTwoPeopleAsync(stack.Api);
        foreach (var (body, expected) in new (object Body, string Text)[]
        {
            (new { role = "ingest", user_id = "bob" }, "user_id can be given to admin and monitor keys only"),
            (new { role = "monitor", user_id = "nobody" }, "user_id 'nobody' is not a user of organization"),
            (new { role = "monitor", user_id = "not valid!" }, "user_id "),
        })
        {
            using var response = await stack.Api.PostAsJsonAsync($"{org.Path}/keys", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_key_tied_to_an_admin_resolves_errors_as_that_admin_and_as_no_one_else()
    {
        var org = await OrgWithTwoPeopleAsync(stack.Api);
        await org.AddIntegrationAsync("shop", "outbound_webhook");
        await org.PostErrorsAsync("shop", 2, prefix: $"{org.OrgId}-a");
        await org.PostErrorsAsync("shop", 1, prefix: $"{org.OrgId}-b");
        JsonArray open = [];
        await Eventually.TrueAsync(async () =>
        {
            open = (await stack.Api.GetFromJsonAsync<JsonNode>($"{org.Path}/errors?status=open"))!["items"]!.AsArray();
            return open.Count > 0;
        }, "the error is tracked", TimeSpan.FromSeconds(30));
        var errorId = (string)open[0]!["id"]!;
        using var anns = stack.From("127.0.0.5", await AbuseLimitsTests.KeyAsync(org, "admin", "ann"));

        using (var asBob = await anns.PostAsJsonAsync($"{org.Path}/errors/{errorId}/resolve", new { resolved_by = "bob" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, asBob.StatusCode);
            Assert.Contains("resolved_by must be 'ann'", await asBob.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var byDefault = await anns.PostAsJsonAsync($"{org.Path}/errors/{errorId}/resolve", new { }))
        {
            var text = await byDefault.Content.ReadAsStringAsync();
            Assert.True(byDefault.StatusCode == HttpStatusCode.OK, text);
            Assert.Equal("ann", (string?)JsonNode.Parse(text)!["resolved_by"]);
        }
        // An untied key must still say who resolves.
        using var untied = stack.From("127.0.0.5", await AbuseLimitsTests.KeyAsync(org, "admin"));
        using var unnamed = await untied.PostAsJsonAsync($"{org.Path}/errors/{errorId}/resolve", new { });
        Assert.Equal(HttpStatusCode.BadRequest, unnamed.StatusCode);
    }
}
