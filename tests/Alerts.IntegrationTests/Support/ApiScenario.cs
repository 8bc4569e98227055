using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Alerts.IntegrationTests.Support;

/// <summary>An organization created through the HTTP API, with helpers for the calls the tests repeat.</summary>
public sealed class ApiScenario
{
    private static int _events;

    private ApiScenario(HttpClient api, string orgId)
    {
        Api = api;
        OrgId = orgId;
    }

    public HttpClient Api { get; }
    public string OrgId { get; }
    public string Domain => $"{OrgId}.example.test";
    public string Path => $"/api/v1/orgs/{OrgId}";

    /// <summary>The platform's numeric id of this organization's account, which platform events carry.</summary>
    public long AccountId => (long)(System.IO.Hashing.XxHash3.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(OrgId)) >> 2);

    /// <summary>An organization created earlier (for instance before a restart).</summary>
    public static ApiScenario Existing(HttpClient api, string orgId) => new(api, orgId);

    public static async Task<ApiScenario> CreateAsync(
        HttpClient api, string environment = "production", bool production = true, int limit = 5, string interval = "1h")
    {
        var scenario = new ApiScenario(api, $"org-{Guid.NewGuid():N}"[..20]);
        await scenario.PutOkAsync(scenario.Path, new
        {
            name = $"Org {scenario.OrgId}",
            environment,
            production,
            primary_contact = $"owner@{scenario.Domain}",
            account_id = scenario.AccountId,
            settings = new { integration_notifications = new { outgoing_integrations = new { failure_limit = limit, failure_interval = interval } } },
        });
        return scenario;
    }

    public async Task<JsonNode> PutOkAsync(string path, object body)
    {
        using var response = await Api.PutAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public Task<JsonNode> AddUserAsync(string userId, params string[] events) =>
        PutOkAsync($"{Path}/users/{userId}", new { email = $"{userId}@{Domain}", name = userId, role = "monitor", notification_events = events });

    public Task<JsonNode> AddIntegrationAsync(string integrationId, string type, string? name = null) =>
        PutOkAsync($"{Path}/integrations/{integrationId}", new { name = name ?? integrationId, type });

    public async Task<JsonNode> PostErrorsAsync(string integrationId, int count, string? prefix = null)
    {
        var events = Enumerable.Range(0, count).Select(_ => new
        {
            event_id = $"{prefix ?? "evt"}-{Interlocked.Increment(ref _events)}",
            integration_id = integrationId,
            outcome = "error",
            status_code = 502,
            message = "Bad Gateway",
        });
        using var response = await Api.PostAsJsonAsync($"{Path}/events", new { events });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST events answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<JsonArray> NotificationsAsync() =>
        (await Api.GetFromJsonAsync<JsonNode>($"{Path}/notifications"))!["notifications"]!.AsArray();

    public static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static string Json(object value) => JsonSerializer.Serialize(value);
}
