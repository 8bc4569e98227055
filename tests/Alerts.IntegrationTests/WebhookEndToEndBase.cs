using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>What the webhook end-to-end tests share: the stack's API and receiver, a subscription, a published event.</summary>
public abstract class WebhookEndToEndBase(WebhookStackFixture fixture)
{
    protected WebhookStackFixture Fixture => fixture;
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    protected HttpClient Api => fixture.Stack.Api;
    protected WebhookReceiver Receiver => fixture.Receiver;

    protected static object RunFailed(string id) => new
    {
        event_type = "run_failed",
        id,
        timestamp = "2026-11-26T10:15:00Z",
        run_id = 77,
        run_status = "failed",
        admin_link = "https://admin.example/runs/77",
        api_link = "https://api.example/v1/runs/77",
        api_status_link = "https://api.example/v1/runs/77/status",
        api_triggers_link = "https://api.example/v1/runs/77/triggers",
        tenant_id = 9,
        tenant_name = "Tenant Nine",
        integration_id = 31,
        integration_name = "CRM sync",
    };

    protected async Task<(ApiScenario Org, string Path, string Id, string Secret)> SubscribeAsync(string owner = "dev")
    {
        var org = await ApiScenario.CreateAsync(Api);
        await org.AddUserAsync(owner);
        var path = $"/{org.OrgId}/{Guid.NewGuid():N}";
        using var response = await Api.PostAsJsonAsync($"{org.Path}/webhooks", new
        {
            url = Receiver.Url(path), events = new[] { "run_failed", "integration_created" }, product = "crm", owner_user_id = owner,
        });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        var secret = (string)body["secret"]!;
        Assert.StartsWith("whsec_", secret);
        return (org, path, (string)body["id"]!, secret);
    }

    protected async Task<JsonNode> PublishAsync(ApiScenario org, object platformEvent)
    {
        using var response = await Api.PostAsJsonAsync($"{org.Path}/platform-events", platformEvent);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToJsonString());
        return body;
    }

    protected Task<JsonNode> WebhookAsync(ApiScenario org, string id) => Api.GetFromJsonAsync<JsonNode>($"{org.Path}/webhooks/{id}")!;

    protected async Task WaitForWebhookAsync(ApiScenario org, string id, Func<JsonNode, bool> condition, string what) =>
        await Eventually.TrueAsync(async () => condition((await WebhookAsync(org, id))!), what, Patience);

    /// <summary>Waits until <paramref name="count"/> messages reached the address (others of its domain get platform events too).</summary>
    protected async Task<IReadOnlyList<MailDev.Message>> MailToAsync(ApiScenario org, string user, int count)
    {
        var address = $"{user}@{org.Domain}";
        List<MailDev.Message> mine = [];
        await Eventually.TrueAsync(async () =>
        {
            mine = (await fixture.Stack.Inbox.MessagesToAsync(org.Domain)).Where(m => m.To.Contains(address, StringComparer.OrdinalIgnoreCase)).ToList();
            return mine.Count >= count;
        }, $"{count} e-mail(s) reached {address}", Patience);
        return mine;
    }
}
