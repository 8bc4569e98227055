using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// SPEC §5's JSON types end to end: each event type is published over HTTP with the documented types, delivered to a
/// receiver with every field's JSON type as documented (a typed deserializer reads it), verified by the reference Standard
/// Webhooks library; wrong types are 400s naming the field.
/// </summary>
[Collection(WebhookStackGroup.Name)]
public sealed class PlatformEventTypesEndToEndTests(WebhookStackFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private HttpClient Api => fixture.Stack.Api;

    /// <summary>The platform's documented contract, written out here independently of the code: field → JSON type.</summary>
    private static readonly Dictionary<string, (string Field, JsonValueKind Kind)[]> Documented = new()
    {
        ["integration_created"] = [("integration_id", JsonValueKind.Number), ("integration_name", JsonValueKind.String)],
        ["tenant_created"] = [("tenant_id", JsonValueKind.Number), ("tenant_name", JsonValueKind.String), ("integration_id", JsonValueKind.Number), ("integration_name", JsonValueKind.String)],
        ["tenant_archived"] = [("tenant_id", JsonValueKind.Number), ("tenant_name", JsonValueKind.String), ("integration_id", JsonValueKind.Number), ("integration_name", JsonValueKind.String)],
        ["partner_integration_updated"] = [("integration_id", JsonValueKind.Number), ("integration_name", JsonValueKind.String), ("partner_id", JsonValueKind.Number), ("partner_name", JsonValueKind.String)],
        ["run_failed"] =
        [
            ("run_id", JsonValueKind.Number), ("run_status", JsonValueKind.String), ("admin_link", JsonValueKind.String), ("api_link", JsonValueKind.String),
            ("api_status_link", JsonValueKind.String), ("api_triggers_link", JsonValueKind.String), ("tenant_id", JsonValueKind.Number),
            ("tenant_name", JsonValueKind.String), ("integration_id", JsonValueKind.Number), ("integration_name", JsonValueKind.String),
        ],
    };

    private static readonly (string Field, JsonValueKind Kind)[] Common =
    [
        ("event_type", JsonValueKind.String), ("environment", JsonValueKind.String), ("account_id", JsonValueKind.Number),
        ("account_name", JsonValueKind.String), ("timestamp", JsonValueKind.String),
    ];

    /// <summary>A value of the documented type for each field, distinct per field so a swapped field shows.</summary>
    private static JsonObject Event(string type, string id)
    {
        var body = new JsonObject { ["event_type"] = type, ["id"] = id };
        var n = 100;
        foreach (var (field, kind) in Documented[type])
        {
            n++;
            body[field] = kind == JsonValueKind.Number ? JsonValue.Create(9_000_000_000L + n)
                : field.EndsWith("_link", StringComparison.Ordinal) ? $"https://platform.example/{field}/{n}" : $"{field} {n}";
        }
        return body;
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PublishAsync(ApiScenario org, JsonObject body) =>
        await ApiScenario.SendAsync(Api, HttpMethod.Post, $"{org.Path}/platform-events", body.ToJsonString());

    private async Task<(ApiScenario Org, string Path, string Secret)> SubscribeToEveryTypeAsync()
    {
        var org = await ApiScenario.CreateAsync(Api);
        await org.AddUserAsync("dev");
        var path = $"/{org.OrgId}/typed";
        using var response = await Api.PostAsJsonAsync($"{org.Path}/webhooks", new
        {
            url = fixture.Receiver.Url(path), events = Documented.Keys.ToArray(), owner_user_id = "dev",
        });
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.Created, created.ToJsonString());
        return (org, path, (string)created["secret"]!);
    }

    [Fact]
    public async Task Every_event_type_is_delivered_with_the_documented_json_types()
    {
        var (org, path, secret) = await SubscribeToEveryTypeAsync();
        var types = Documented.Keys.ToList();
        foreach (var type in types)
        {
            var (status, answer) = await PublishAsync(org, Event(type, $"typed-{type}"));
            Assert.True(status == HttpStatusCode.Accepted, answer?.ToJsonString());
        }

        var deliveries = await fixture.Receiver.WaitForAsync(path, types.Count, Patience);
        foreach (var type in types)
        {
            var delivery = Assert.Single(deliveries, d => d.Headers["webhook-id"] == $"msg_typed-{type}");
            using var payload = JsonDocument.Parse(delivery.Body);
            var root = payload.RootElement;
            var expected = Common.Concat(Documented[type]).ToList();
            Assert.Equal(expected.Select(f => f.Field), root.EnumerateObject().Select(p => p.Name));
            foreach (var (field, kind) in expected)
                Assert.True(root.GetProperty(field).ValueKind == kind, $"{type}.{field} is {root.GetProperty(field).ValueKind}, documented {kind}");

            // The values are the published ones, ids as 64-bit integers.
            var published = Event(type, "x");
            foreach (var (field, kind) in Documented[type])
            {
                if (kind == JsonValueKind.Number) Assert.Equal((long)published[field]!, root.GetProperty(field).GetInt64());
                else Assert.Equal((string)published[field]!, root.GetProperty(field).GetString());
            }
            Assert.Equal(org.AccountId, root.GetProperty("account_id").GetInt64());

            // A typed reader (the way a C#, Go or Java receiver reads it) takes the payload as is.
            var typed = JsonSerializer.Deserialize<TypedPayload>(delivery.Body, SnakeCase)!;
            Assert.Equal(org.AccountId, typed.AccountId);
            Assert.Equal(type, typed.EventType);

            var (verified, output) = await WebhookReceiver.VerifyWithReferenceAsync(delivery, secret);
            Assert.True(verified, output);
            Assert.Equal($"verified {type}", output);
        }
    }

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private sealed record TypedPayload(
        string EventType, string Environment, long AccountId, string AccountName, DateTimeOffset Timestamp,
        long? IntegrationId, long? TenantId, long? PartnerId, long? RunId);

    [Fact]
    public async Task A_string_of_digits_is_accepted_for_an_id_and_delivered_as_a_number()
    {
        var (org, path, _) = await SubscribeToEveryTypeAsync();
        var body = Event("tenant_archived", "digits-1");
        body["tenant_id"] = "42";
        body["account_id"] = org.AccountId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (status, answer) = await PublishAsync(org, body);
        Assert.True(status == HttpStatusCode.Accepted, answer?.ToJsonString());

        var delivery = (await fixture.Receiver.WaitForAsync(path, 1, Patience))[0];
        using var payload = JsonDocument.Parse(delivery.Body);
        Assert.Equal(JsonValueKind.Number, payload.RootElement.GetProperty("tenant_id").ValueKind);
        Assert.Equal(42, payload.RootElement.GetProperty("tenant_id").GetInt64());
    }

    [Theory]
    [InlineData("run_id", "\"run-77\"", "must be an integer")]
    [InlineData("run_id", "-1", "must be an integer")]
    [InlineData("run_id", "1.5", "must be an integer")]
    [InlineData("run_id", "9223372036854775808", "must be an integer")]
    [InlineData("tenant_id", "true", "must be an integer")]
    [InlineData("tenant_name", "5", "must be a string")]
    [InlineData("run_status", "null", "must be a string")]
    [InlineData("admin_link", "\"/runs/1\"", "must be an absolute http or https URL")]
    [InlineData("account_id", "\"acme\"", "must be an integer")]
    [InlineData("account_id", "12", "must be the organization's account_id")]
    [InlineData("partner_id", "1", "is not a field of run_failed")]
    public async Task A_field_of_the_wrong_type_is_a_400_naming_it_and_nothing_is_sent(string field, string json, string problem)
    {
        var (org, path, _) = await SubscribeToEveryTypeAsync();
        var body = Event("run_failed", "wrong-" + field);
        body[field] = JsonNode.Parse(json);
        var (status, answer) = await PublishAsync(org, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = answer!["errors"]!.AsObject();
        Assert.Equal([field], errors.Select(e => e.Key));
        Assert.Contains(problem, (string)errors[field]![0]!);

        // A well-typed event after it is the only one delivered.
        Assert.Equal(HttpStatusCode.Accepted, (await PublishAsync(org, Event("run_failed", "right-" + field))).Status);
        var delivered = await fixture.Receiver.WaitForAsync(path, 1, Patience);
        Assert.Equal($"msg_right-{field}", Assert.Single(delivered).Headers["webhook-id"]);
    }

    [Fact]
    public async Task An_organization_without_an_account_id_is_told_how_to_set_it()
    {
        var org = await ApiScenario.CreateAsync(Api);
        await org.PutOkAsync(org.Path, new { name = "No account", environment = "production" });
        var (status, answer) = await PublishAsync(org, Event("integration_created", "no-account"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = (string)answer!["errors"]!["account_id"]![0]!;
        Assert.Contains("is not set", message);
        Assert.Contains($"PUT /api/v1/orgs/{org.OrgId}", message);

        var updated = await org.PutOkAsync(org.Path, new { name = "No account", environment = "production", account_id = 77 });
        Assert.Equal(77, (long)updated["account_id"]!);
        Assert.Equal(77, (long)(await Api.GetFromJsonAsync<JsonNode>(org.Path))!["account_id"]!);
        Assert.Equal(HttpStatusCode.Accepted, (await PublishAsync(org, Event("integration_created", "with-account"))).Status);

        var (negative, refused) = await ApiScenario.SendAsync(Api, HttpMethod.Put, org.Path,
            ApiScenario.Json(new { name = "No account", environment = "production", account_id = -3 }));
        Assert.Equal(HttpStatusCode.BadRequest, negative);
        Assert.NotNull(refused!["errors"]!["account_id"]);
        var (text, wrongType) = await ApiScenario.SendAsync(Api, HttpMethod.Put, org.Path,
            ApiScenario.Json(new { name = "No account", environment = "production", account_id = "acme" }));
        Assert.Equal(HttpStatusCode.BadRequest, text);
        Assert.NotNull(wrongType!["errors"]!["account_id"]);
    }
}
