using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// The standalone gateway (src/Gateway) serves the same HTTP layer as the silos, as an Orleans client of theirs: for
/// deployments that scale HTTP apart from the silos.
/// </summary>
public sealed class StandaloneGatewayTests
{
    [Fact]
    public async Task The_standalone_gateway_serves_the_api_the_ui_and_a_threshold_alert_end_to_end()
    {
        await using var deployment = await new LocalDeployment(settings: TestSettings.QuickReminders, standaloneGateway: true).StartAllAsync();
        Assert.NotEqual(deployment.ApiPort, deployment.Silos[0].HttpPort);

        var org = await ApiScenario.CreateAsync(deployment.Api, limit: 2);
        await org.AddUserAsync("ops", "outgoing_integration__error");
        await org.AddIntegrationAsync("crm", "outbound_webhook");
        var accepted = await org.PostErrorsAsync("crm", 2);
        Assert.Equal(2, (int)accepted["accepted"]!);
        var mail = Assert.Single(await deployment.Inbox.WaitForAsync(org.Domain, 1, TimeSpan.FromSeconds(60)));
        Assert.Equal("Integration error threshold exceeded", mail.Subject);

        using var ui = await deployment.Anonymous.GetAsync("/ui/");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("<script", await ui.Content.ReadAsStringAsync());
        var ready = await deployment.Anonymous.GetFromJsonAsync<JsonNode>("/health/ready");
        Assert.Equal("ready", (string)ready!["status"]!);

        // The silo serves the same API on its own port.
        using var direct = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{deployment.Silos[0].HttpPort}") };
        direct.DefaultRequestHeaders.Authorization = deployment.Api.DefaultRequestHeaders.Authorization;
        var same = await direct.GetFromJsonAsync<JsonNode>(org.Path);
        Assert.Equal(org.OrgId, (string)same!["org_id"]!);
    }
}
