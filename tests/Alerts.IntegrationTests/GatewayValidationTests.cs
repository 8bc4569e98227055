using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>Bad input gets a 400 naming the field and changes nothing (SPEC §8); auth and health per ARCHITECTURE.</summary>
[Collection(StackTests.Name)]
public sealed class GatewayValidationTests(StackFixture stack)
{
    private const string Valid = """
        {"name":"Acme","environment":"staging","settings":{"integration_notifications":{"outgoing_integrations":{"failure_limit":5,"failure_interval":"1h"}}}}
        """;

    public static TheoryData<string, string> BadOrganizations => new()
    {
        { """{"name":"Acme","environment":"staging","settings":{"integration_notifications":{"outgoing_integrations":{"failure_limit":5,"failure_interval":"2h"}}}}""", "settings.integration_notifications.outgoing_integrations.failure_interval" },
        { """{"name":"Acme","environment":"staging","settings":{"integration_notifications":{"incoming_webhooks":{"failure_limit":-1,"failure_interval":"1h"}}}}""", "settings.integration_notifications.incoming_webhooks.failure_limit" },
        { """{"name":"Acme","environment":"staging","settings":{"integration_notifications":{"outgoing_integrations":{"failure_limit":"five"}}}}""", "settings.integration_notifications.outgoing_integrations.failure_limit" },
        { """{"environment":"staging"}""", "name" },
        { """{"name":"Acme"}""", "environment" },
        { """{"name":"Acme","environment":"staging","primary_contact":"not an email"}""", "primary_contact" },
        { """{"name":"Acme","environment":"staging","colour":"red"}""", "colour" },
        { """{"name":"Acme","environment":""", "body" },
        { """[1,2]""", "body" },
        { """{"name":"Acme","environment":"staging","environment":"production"}""", "environment" },
        { "{\"name\":\"Acme\",\"environment\":\"staging\\n\"}", "environment" },
    };

    [Theory]
    [MemberData(nameof(BadOrganizations))]
    public async Task A_bad_organization_is_a_400_naming_the_field_and_changes_nothing(string json, string field)
    {
        var orgId = $"val-{Guid.NewGuid():N}"[..16];
        var (created, before) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Put, $"/api/v1/orgs/{orgId}", Valid);
        Assert.Equal(HttpStatusCode.OK, created);

        var (status, problem) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Put, $"/api/v1/orgs/{orgId}", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, (int)problem!["status"]!);
        Assert.NotNull(problem["errors"]![field]);
        Assert.Contains(field, (string)problem["detail"]!);
        var (_, after) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"/api/v1/orgs/{orgId}");
        Assert.Equal(before!.ToJsonString(), after!.ToJsonString());
    }

    [Fact]
    public async Task A_get_can_be_sent_back_as_a_put()
    {
        var orgId = $"rt-{Guid.NewGuid():N}"[..16];
        var (_, created) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Put, $"/api/v1/orgs/{orgId}", Valid);
        var (status, again) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Put, $"/api/v1/orgs/{orgId}", created!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((string)created["name"]!, (string)again!["name"]!);
        Assert.False((bool)again["production"]!);
    }

    [Theory]
    [InlineData("""{"name":"Ops","role":"admin"}""", "email")]
    [InlineData("""{"email":"ops@x.test","name":"Ops","role":"owner"}""", "role")]
    [InlineData("""{"email":"ops@","name":"Ops","role":"admin"}""", "email")]
    [InlineData("""{"email":"ops@x.test","name":"Ops","role":"admin","notification_events":["outgoing_integration__error","bogus"]}""", "notification_events[1]")]
    public async Task A_bad_user_is_a_400_naming_the_field_and_is_not_created(string json, string field)
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        var (status, problem) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Put, $"{org.Path}/users/u1", json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]![field]);
        var (missing, _) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"{org.Path}/users/u1");
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task Users_can_be_created_read_replaced_and_deleted()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        await org.AddUserAsync("u1", "outgoing_integration__error");
        var user = await org.PutOkAsync($"{org.Path}/users/u1", new { email = $"new@{org.Domain}", name = "New", role = "admin", notification_events = Array.Empty<string>() });
        Assert.Equal("admin", (string)user["role"]!);

        var (_, read) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"{org.Path}/users/u1");
        Assert.Equal($"new@{org.Domain}", (string)read!["email"]!);
        var (_, list) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"{org.Path}/users");
        Assert.Single(list!["users"]!.AsArray());

        var (deleted, _) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Delete, $"{org.Path}/users/u1");
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        var (gone, _) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"{org.Path}/users/u1");
        Assert.Equal(HttpStatusCode.NotFound, gone);
        var (again, _) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Delete, $"{org.Path}/users/u1");
        Assert.Equal(HttpStatusCode.NotFound, again);
    }

    [Fact]
    public async Task Users_and_integrations_of_an_unknown_organization_are_404()
    {
        var path = $"/api/v1/orgs/nobody-{Guid.NewGuid():N}"[..34];
        Assert.Equal(HttpStatusCode.NotFound, (await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, path)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ApiScenario.SendAsync(stack.Api, HttpMethod.Put, $"{path}/users/u1",
            """{"email":"a@b.test","name":"A","role":"admin"}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ApiScenario.SendAsync(stack.Api, HttpMethod.Put, $"{path}/integrations/i1",
            """{"name":"I","type":"prebuilt"}""")).Status);
    }

    [Fact]
    public async Task An_integration_needs_a_known_type()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        var (status, problem) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Put, $"{org.Path}/integrations/i1", """{"name":"I","type":"ftp"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]!["type"]);
        var integration = await org.AddIntegrationAsync("i1", "custom_event");
        Assert.Equal("incoming", (string)integration["direction"]!);
    }

    [Fact]
    public async Task Events_for_an_unknown_integration_are_refused_whole_and_record_nothing()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        await org.AddIntegrationAsync("known", "outbound_webhook");
        var json = ApiScenario.Json(new
        {
            events = new object[]
            {
                new { event_id = "a", integration_id = "known", outcome = "error" },
                new { event_id = "b", integration_id = "ghost", outcome = "error" },
            },
        });
        var (status, problem) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Post, $"{org.Path}/events", json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("ghost", (string)problem!["errors"]!["events[1].integration_id"]![0]!);

        var (_, integration) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"{org.Path}/integrations/known");
        Assert.Equal(0, (int)integration!["errors"]!);
    }

    [Fact]
    public async Task Events_for_an_unknown_organization_are_404()
    {
        var json = ApiScenario.Json(new { events = new[] { new { event_id = "a", integration_id = "i", outcome = "error" } } });
        var (status, problem) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Post, "/api/v1/orgs/no-such-org-x/events", json);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("no-such-org-x", (string)problem!["detail"]!);
    }

    [Theory]
    [InlineData("""{"events":[{"integration_id":"i","outcome":"error"}]}""", "events[0].event_id")]
    [InlineData("""{"events":[{"event_id":"a","integration_id":"i","outcome":"broken"}]}""", "events[0].outcome")]
    [InlineData("""{"events":[{"event_id":"a","integration_id":"i","outcome":"error","occurred_at":"yesterday"}]}""", "events[0].occurred_at")]
    [InlineData("""{"events":[{"event_id":"a","integration_id":"i","outcome":"error","occurred_at":"2026-11-22T10:00:00"}]}""", "events[0].occurred_at")]
    [InlineData("""{"events":[{"event_id":"a","integration_id":"i","outcome":"error","status_code":"500"}]}""", "events[0].status_code")]
    [InlineData("""{"events":[]}""", "events")]
    [InlineData("""{}""", "events")]
    [InlineData("""{"events":[{"event_id":"a","integration_id":"i","outcome":"error","occurred_at":"1969-12-31T23:59:59Z"}]}""", "events[0].occurred_at")]
    [InlineData("""{"events":[{"event_id":"a","event_id":"b","integration_id":"i","outcome":"error"}]}""", "events[0].event_id")]
    [InlineData("{\"events\":[{\"event_id\":\"a\",\"integration_id\":\"i\\n\",\"outcome\":\"error\"}]}", "events[0].integration_id")]
    public async Task A_malformed_event_is_a_400_naming_it(string json, string field)
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        await org.AddIntegrationAsync("i", "outbound_webhook");
        var (status, problem) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Post, $"{org.Path}/events", json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]![field]);
    }

    [Fact]
    public async Task An_event_older_than_the_error_history_is_refused_naming_it_and_nothing_is_recorded()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        await org.AddIntegrationAsync("i", "outbound_webhook");
        var old = DateTimeOffset.UtcNow.AddDays(-61).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var json = ApiScenario.Json(new
        {
            events = new object[]
            {
                new { event_id = "fresh", integration_id = "i", outcome = "error" },
                new { event_id = "old", integration_id = "i", outcome = "error", occurred_at = old },
            },
        });
        var (status, problem) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Post, $"{org.Path}/events", json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("events[1].occurred_at must not be before", (string)problem!["errors"]!["events[1].occurred_at"]![0]!);
        var (_, integration) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"{org.Path}/integrations/i");
        Assert.Equal(0, (int)integration!["errors"]!);
    }

    [Fact]
    public async Task A_repeated_field_cannot_flip_an_integrations_direction()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        var (status, problem) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Put, $"{org.Path}/integrations/i1",
            """{"name":"I","type":"inbound_webhook","type":"prebuilt"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("more than once", (string)problem!["errors"]!["type"]![0]!);
        Assert.Equal(HttpStatusCode.NotFound, (await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"{org.Path}/integrations/i1")).Status);
    }

    [Fact]
    public async Task Ids_with_a_trailing_newline_are_refused()
    {
        var (status, problem) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Put, "/api/v1/orgs/acme%0A", Valid);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]!["org_id"]);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_refused_like_a_declared_one()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        await org.AddIntegrationAsync("i", "outbound_webhook");
        var filler = new string('x', 3000);
        var events = Enumerable.Range(0, 1000).Select(n => new { event_id = $"e{n}", integration_id = "i", outcome = "error", message = filler, flow = filler });
        var body = System.Text.Encoding.UTF8.GetBytes(ApiScenario.Json(new { events }));
        Assert.True(body.Length > 4 * 1024 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{org.Path}/events")
        {
            // A stream of unknown length is sent chunked, without Content-Length.
            Content = new StreamContent(new UnknownLengthStream(body)),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await stack.Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var (_, integration) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"{org.Path}/integrations/i");
        Assert.Equal(0, (int)integration!["errors"]!);
    }

    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }

    [Fact]
    public async Task The_notification_log_pages_with_a_cursor_filters_and_refuses_a_bad_query()
    {
        var org = await ApiScenario.CreateAsync(stack.Api, limit: 1);
        await org.PutOkAsync(org.Path, new
        {
            name = "Paged", environment = "production",
            settings = new { integration_notifications = new
            {
                outgoing_integrations = new { failure_limit = 1, failure_interval = "1h" },
                incoming_webhooks = new { failure_limit = 1, failure_interval = "1h" },
            } },
        });
        await org.AddUserAsync("ops", "outgoing_integration__error", "incoming_webhook__error");
        await org.AddIntegrationAsync("out", "outbound_webhook");
        await org.AddIntegrationAsync("in", "inbound_webhook");
        await org.PostErrorsAsync("out", 1);
        await org.PostErrorsAsync("in", 1);

        var (_, first) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"{org.Path}/notifications?limit=1");
        Assert.Equal("incoming", (string)first!["notifications"]![0]!["direction"]!);
        var next = (string)first["next"]!;
        var (_, second) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"{org.Path}/notifications?limit=1&cursor={next}");
        Assert.Equal("outgoing", (string)second!["notifications"]![0]!["direction"]!);
        Assert.Null(second["next"]);
        var (_, filtered) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"{org.Path}/notifications?kind=threshold_exceeded&status=cancelled");
        Assert.Empty(filtered!["notifications"]!.AsArray());

        var id = (string)second["notifications"]![0]!["id"]!;
        await Eventually.TrueAsync(async () =>
        {
            var (_, detail) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"{org.Path}/notifications/{id}");
            return (string)detail!["recipients"]![0]!["status"]! == "sent";
        }, "the detail shows the recipient sent");
        Assert.Equal(HttpStatusCode.NotFound, (await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"{org.Path}/notifications/no-such")).Status);

        foreach (var (query, field) in new[] { ("cursor=not-a-cursor", "cursor"), ("limit=0", "limit"), ("status=lost", "status"), ("kind=newsletter", "kind") })
        {
            var (status, problem) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"{org.Path}/notifications?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.NotNull(problem!["errors"]![field]);
        }
    }

    [Fact]
    public async Task More_than_a_thousand_events_in_one_request_are_refused()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        await org.AddIntegrationAsync("i", "outbound_webhook");
        var events = Enumerable.Range(0, 1001).Select(n => new { event_id = $"e{n}", integration_id = "i", outcome = "error" });
        var (status, problem) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Post, $"{org.Path}/events", ApiScenario.Json(new { events }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]!["events"]);
    }

    [Fact]
    public async Task A_thousand_events_with_repeats_are_accepted_and_repeats_counted_as_duplicates()
    {
        var org = await ApiScenario.CreateAsync(stack.Api, limit: 100_000);
        await org.AddIntegrationAsync("a", "outbound_webhook");
        await org.AddIntegrationAsync("b", "inbound_webhook");
        var events = Enumerable.Range(0, 1000).Select(n => new
        {
            event_id = $"e{n % 900}", integration_id = n % 900 < 450 ? "a" : "b", outcome = n % 3 == 0 ? "success" : "error",
            occurred_at = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        });
        var (status, body) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Post, $"{org.Path}/events", ApiScenario.Json(new { events }));
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(900, (int)body!["accepted"]!);
        Assert.Equal(100, (int)body["duplicates"]!);

        var (again, repeat) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Post, $"{org.Path}/events", ApiScenario.Json(new { events }));
        Assert.Equal(HttpStatusCode.Accepted, again);
        Assert.Equal(0, (int)repeat!["accepted"]!);
        Assert.Equal(1000, (int)repeat["duplicates"]!);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key-wrong-key-wrong")]
    [InlineData("Basic dGVzdDp0ZXN0")]
    public async Task Without_the_operator_key_every_api_call_is_401(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/orgs/anything");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await stack.Anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Health_answers_without_auth()
    {
        Assert.Equal(HttpStatusCode.OK, (await stack.Anonymous.GetAsync("/health/live")).StatusCode);
        var ready = await stack.Anonymous.GetFromJsonAsync<JsonNode>("/health/ready");
        Assert.Equal("ready", (string)ready!["status"]!);
        Assert.True((int)ready["silos"]! >= 1);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_routes()
    {
        var document = await stack.Anonymous.GetFromJsonAsync<JsonNode>("/openapi/v1.json");
        var paths = document!["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/v1/orgs/{org_id}/events", paths);
        Assert.Contains("/api/v1/orgs/{org_id}/notifications", paths);
    }

    public static TheoryData<string, string, string, string> BadLifecycleRequests => new()
    {
        { "PUT", "users/u1", """{"email":"u1@example.com","name":"U","role":"monitor","subscriptions":{"flows":[{"integration_id":"crm"}]}}""", "subscriptions.flows[0].flow" },
        { "PUT", "users/u1", """{"email":"u1@example.com","name":"U","role":"monitor","subscriptions":{"flows":[{"integration_id":"nope","flow":"orders"}]}}""", "subscriptions.flows[0].integration_id" },
        { "PUT", "users/u1", """{"email":"u1@example.com","name":"U","role":"monitor","subscriptions":{"integrations":["crm","bad id"]}}""", "subscriptions.integrations[1]" },
        { "PUT", "users/u1", """{"email":"u1@example.com","name":"U","role":"monitor","subscriptions":{"connections":["nope"]}}""", "subscriptions.connections[0]" },
        { "PUT", "users/u1", """{"email":"u1@example.com","name":"U","role":"monitor","subscriptions":{"topics":[]}}""", "subscriptions.topics" },
        { "PUT", "connections/db", """{"integration_ids":["crm"]}""", "name" },
        { "PUT", "connections/db", """{"name":"DB","integration_ids":["nope"]}""", "integration_ids[0]" },
        { "PUT", "connections/db", """{"name":"DB","integration_ids":[null]}""", "integration_ids[0]" },
        { "POST", "connections/known/status", """{"online":"no"}""", "online" },
        { "POST", "connections/known/status", """{}""", "online" },
        { "POST", "errors/crm:1/resolve", """{}""", "resolved_by" },
        { "POST", "errors/crm:1/resolve", """{"resolved_by":"nobody"}""", "resolved_by" },
        { "POST", "events", """{"events":[{"event_id":"e1","integration_id":"crm","outcome":"error","retrying":"yes"}]}""", "events[0].retrying" },
        { "GET", "errors?status=closed", "", "status" },
        { "GET", "errors?cursor=zzz", "", "cursor" },
        { "GET", "errors?limit=0", "", "limit" },
    };

    [Theory]
    [MemberData(nameof(BadLifecycleRequests))]
    public async Task Bad_subscriptions_connections_and_error_requests_are_a_400_naming_the_field(string method, string path, string json, string field)
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        await org.AddIntegrationAsync("crm", "outbound_webhook");
        await org.PutOkAsync($"{org.Path}/connections/known", new { name = "Known", integration_ids = new[] { "crm" } });
        var (status, problem) = await ApiScenario.SendAsync(stack.Api, new HttpMethod(method), $"{org.Path}/{path}", json.Length == 0 ? null : json);
        Assert.True(status == HttpStatusCode.BadRequest, $"{method} {path} answered {(int)status}: {problem}");
        Assert.NotNull(problem!["errors"]![field]);
        var (_, users) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"{org.Path}/users");
        Assert.Empty(users!["users"]!.AsArray());
        var (_, connections) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"{org.Path}/connections");
        Assert.Single(connections!["connections"]!.AsArray());
    }

    [Fact]
    public async Task Only_an_admin_resolves_an_error_and_an_unknown_one_is_a_404()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        await org.AddIntegrationAsync("crm", "outbound_webhook");
        await org.AddUserAsync("watcher");
        var (forbidden, problem) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Post, $"{org.Path}/errors/crm:1/resolve", """{"resolved_by":"watcher"}""");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.NotNull(problem!["errors"]!["resolved_by"]);
        await org.PutOkAsync($"{org.Path}/users/boss", new { email = $"boss@{org.Domain}", name = "Boss", role = "admin" });
        var (missing, _) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Post, $"{org.Path}/errors/crm:1/resolve", """{"resolved_by":"boss"}""");
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }
}
