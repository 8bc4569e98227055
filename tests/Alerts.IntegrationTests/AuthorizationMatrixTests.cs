using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// Issue 11's authorization matrix through the real gateway: every endpoint × {no key, another organization's key,
/// monitor, ingest, admin, operator}. Another organization's key gets the 404 of an unknown organization and changes
/// nothing; a role too weak gets 403.
/// </summary>
[Collection(StackTests.Name)]
public sealed class AuthorizationMatrixTests(StackFixture stack)
{
    private enum Need { Read, Change, Report }

    private sealed record Endpoint(HttpMethod Method, string Path, Need Need, Func<string, object?> Body);

    private static readonly string[] NoEvents = [];

    /// <summary>Every endpoint under /api/v1, with a body that makes sense for it (the identity's name keeps writes apart).</summary>
    private static IEnumerable<Endpoint> Endpoints()
    {
        Endpoint Get(string path) => new(HttpMethod.Get, path, Need.Read, _ => null);
        yield return Get("");
        yield return Get("/users");
        yield return Get("/users/u1");
        yield return Get("/integrations");
        yield return Get("/integrations/crm");
        yield return Get("/notifications");
        yield return Get("/notifications/n-none");
        yield return Get("/errors");
        yield return Get("/connections");
        yield return Get("/connections/c1");
        yield return Get("/notification-settings");
        yield return Get("/webhooks");
        yield return Get("/webhooks/wh-none");
        yield return Get("/webhooks/wh-none/deliveries");
        yield return Get("/webhooks/wh-none/health");
        yield return Get("/users/u1/notifications");
        yield return Get("/decisions");
        yield return Get("/mutes");
        yield return Get("/mutes/mute-none");
        yield return Get("/targets");
        yield return Get("/targets/tgt_none");
        yield return Get("/users/u1/targets");
        // A user's own delivery targets: changed by admins (and by a key tied to that user, PersonalKeysTests), not by any monitor.
        yield return new(HttpMethod.Post, "/users/u1/targets", Need.Change, _ => new { type = "slack", url = "http://10.0.0.1/" });
        yield return new(HttpMethod.Delete, "/users/u1/targets/tgt_none", Need.Change, _ => null);
        yield return new(HttpMethod.Post, "/users/u1/targets/tgt_none/enable", Need.Change, _ => null);
        yield return new(HttpMethod.Post, "/users/u1/targets/tgt_none/test", Need.Change, _ => null);
        yield return new(HttpMethod.Post, "/users/u1/test-notification", Need.Read, _ => null);
        yield return new(HttpMethod.Post, "/users/u1/notifications/read", Need.Read, _ => null);
        yield return new(HttpMethod.Post, "/users/u1/notifications/n-none/read", Need.Read, _ => null);
        yield return new(HttpMethod.Get, "/keys", Need.Change, _ => null);

        yield return new(HttpMethod.Put, "", Need.Change, _ => new { name = "Org under test", environment = "production", account_id = 1 });
        yield return new(HttpMethod.Put, "/users/u-{0}", Need.Change, who => new { email = $"{who}@matrix.example", name = who, role = "monitor", notification_events = NoEvents });
        yield return new(HttpMethod.Delete, "/users/u-none", Need.Change, _ => null);
        yield return new(HttpMethod.Put, "/integrations/int-{0}", Need.Change, who => new { name = who, type = "prebuilt" });
        yield return new(HttpMethod.Post, "/errors/crm:1/resolve", Need.Change, _ => new { resolved_by = "boss" });
        yield return new(HttpMethod.Put, "/connections/c-{0}", Need.Change, who => new { name = who, integration_ids = NoEvents });
        yield return new(HttpMethod.Put, "/notification-settings", Need.Change, _ => new { events = new { } });
        yield return new(HttpMethod.Post, "/webhooks", Need.Change, _ => new { url = "http://10.0.0.1/", events = new[] { "run_failed" }, owner_user_id = "u1" });
        yield return new(HttpMethod.Patch, "/webhooks/wh-none", Need.Change, _ => new { product = "x" });
        yield return new(HttpMethod.Delete, "/webhooks/wh-none", Need.Change, _ => null);
        yield return new(HttpMethod.Post, "/webhooks/wh-none/enable", Need.Change, _ => null);
        yield return new(HttpMethod.Post, "/webhooks/wh-none/rotate-secret", Need.Change, _ => null);
        yield return new(HttpMethod.Post, "/webhooks/wh-none/deliveries/msg_none/resend", Need.Change, _ => null);
        yield return new(HttpMethod.Post, "/webhooks/wh-none/recover", Need.Change, _ => new { since = "2026-01-01T00:00:00Z" });
        yield return new(HttpMethod.Post, "/mutes", Need.Change, _ => new { scope = "outgoing", ends_at = "2099-01-01T00:00:00Z", reason = "matrix", created_by = "boss" });
        yield return new(HttpMethod.Patch, "/mutes/mute-none", Need.Change, _ => new { reason = "x", changed_by = "boss" });
        yield return new(HttpMethod.Post, "/mutes/mute-none/end", Need.Change, _ => new { ended_by = "boss" });
        yield return new(HttpMethod.Post, "/targets", Need.Change, _ => new { type = "teams", url = "http://10.0.0.1/", events = new[] { "connections" } });
        yield return new(HttpMethod.Delete, "/targets/tgt_none", Need.Change, _ => null);
        yield return new(HttpMethod.Post, "/targets/tgt_none/enable", Need.Change, _ => null);
        yield return new(HttpMethod.Post, "/targets/tgt_none/test", Need.Change, _ => null);
        yield return new(HttpMethod.Post, "/keys", Need.Change, who => new { role = "monitor", name = who });
        yield return new(HttpMethod.Delete, "/keys/knone", Need.Change, _ => null);

        yield return new(HttpMethod.Post, "/events", Need.Report, who => new { events = new[] { new { event_id = $"m-{who}", integration_id = "crm", outcome = "success" } } });
        yield return new(HttpMethod.Post, "/platform-events", Need.Report, who => new { event_type = "integration_created", id = $"m-{who}", integration_id = 31, integration_name = "CRM" });
        yield return new(HttpMethod.Post, "/connections/c1/status", Need.Report, _ => new { online = false });
    }

    private async Task<string> KeyAsync(ApiScenario org, string role)
    {
        using var response = await stack.Api.PostAsJsonAsync($"{org.Path}/keys", new { role });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        var key = (string)body["key"]!;
        Assert.StartsWith("alk_", key);
        return key;
    }

    [Fact]
    public async Task Every_endpoint_answers_each_kind_of_key_as_its_role_allows_and_never_across_organizations()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        var other = await ApiScenario.CreateAsync(stack.Api);
        await org.AddUserAsync("u1");
        await org.PutOkAsync($"{org.Path}/users/boss", new { email = $"boss@{org.Domain}", name = "Boss", role = "admin", notification_events = NoEvents });
        await org.AddIntegrationAsync("crm", "outbound_webhook");
        await org.PutOkAsync($"{org.Path}/connections/c1", new { name = "c1", integration_ids = new[] { "crm" } });

        var identities = new Dictionary<string, string?>
        {
            ["none"] = null,
            ["other-org"] = await KeyAsync(other, "admin"),
            ["monitor"] = await KeyAsync(org, "monitor"),
            ["ingest"] = await KeyAsync(org, "ingest"),
            ["admin"] = await KeyAsync(org, "admin"),
            ["operator"] = LocalDeploymentKey,
        };

        var failures = new List<string>();
        foreach (var endpoint in Endpoints())
        {
            foreach (var (who, key) in identities)
            {
                var path = $"{org.Path}{string.Format(System.Globalization.CultureInfo.InvariantCulture, endpoint.Path, who)}";
                using var request = new HttpRequestMessage(endpoint.Method, path);
                if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                if (endpoint.Body(who) is { } body) request.Content = JsonContent.Create(body);
                using var response = await stack.Anonymous.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                var otherOrganization = status == 404 && text.Contains("No such organization", StringComparison.Ordinal);
                var expected = who switch
                {
                    "none" => "401",
                    "other-org" => "404 organization",
                    "operator" or "admin" => "allowed",
                    "monitor" => endpoint.Need == Need.Read ? "allowed" : "403",
                    "ingest" => endpoint.Need == Need.Report ? "allowed" : "403",
                    _ => throw new InvalidOperationException(who),
                };
                var actual = status switch
                {
                    401 => "401",
                    403 => "403",
                    _ when otherOrganization => "404 organization",
                    >= 500 => $"{status}",
                    _ => "allowed",
                };
                if (actual != expected) failures.Add($"{endpoint.Method} {endpoint.Path} as {who}: expected {expected}, got {status} {text[..Math.Min(text.Length, 160)]}");
            }
        }
        // The error catalog belongs to no organization: any valid key reads it.
        foreach (var (who, key) in identities)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/error-catalog");
            if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await stack.Anonymous.SendAsync(request);
            var expected = who == "none" ? HttpStatusCode.Unauthorized : HttpStatusCode.OK;
            if (response.StatusCode != expected) failures.Add($"GET /error-catalog as {who}: expected {(int)expected}, got {(int)response.StatusCode}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Nothing another organization's key sent was written.
        using var probe = await stack.Api.GetAsync($"{org.Path}/users/u-other-org");
        Assert.Equal(HttpStatusCode.NotFound, probe.StatusCode);
        using var connection = await stack.Api.GetAsync($"{org.Path}/connections/c-other-org");
        Assert.Equal(HttpStatusCode.NotFound, connection.StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_stops_working_and_a_forged_one_never_works()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        using var created = await stack.Api.PostAsJsonAsync($"{org.Path}/keys", new { role = "monitor" });
        var body = (await created.Content.ReadFromJsonAsync<JsonNode>())!;
        var key = (string)body["key"]!;
        var id = (string)body["id"]!;

        using var client = new HttpClient { BaseAddress = stack.Api.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(org.Path)).StatusCode);

        // The same id with another secret is refused.
        using var forged = new HttpClient { BaseAddress = stack.Api.BaseAddress };
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key[..^4] + "AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync(org.Path)).StatusCode);

        // Listed without its value; revoked, it stops at once (this gateway forgets it).
        var listed = (await stack.Api.GetFromJsonAsync<JsonNode>($"{org.Path}/keys"))!["items"]!.AsArray();
        Assert.Contains(listed, k => (string)k!["id"]! == id && k["key"] is null);
        Assert.Equal(HttpStatusCode.NoContent, (await stack.Api.DeleteAsync($"{org.Path}/keys/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(org.Path)).StatusCode);
    }

    private const string LocalDeploymentKey = LocalDeployment.OperatorKey;
}
