using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// SPEC §3 and §4 through real HTTP, the real silo on Azurite and maildev: digests on their reminder (every 8 s here),
/// and connection notices with a 5-second hold.
/// </summary>
public sealed class DigestEndToEndTests
{
    private static Dictionary<string, string> Quick => new(TestSettings.QuickReminders)
    {
        ["Alerts__Digest__Interval"] = "00:00:08",
        ["Alerts__Connections__HoldPeriod"] = "00:00:05",
    };

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private int _events;

    private async Task PostAsync(ApiScenario org, params (string Flow, string Trace)[] errors)
    {
        var events = errors.Select(e => new
        {
            event_id = $"evt-{Interlocked.Increment(ref _events)}",
            integration_id = "crm",
            outcome = "error",
            status_code = 502,
            message = $"{e.Flow} {e.Trace} failed",
            flow = e.Flow,
            trace_key = e.Trace,
        });
        using var response = await org.Api.PostAsJsonAsync($"{org.Path}/events", new { events });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static Task<JsonNode> FollowAsync(ApiScenario org, string user, string role, object subscriptions) =>
        org.PutOkAsync($"{org.Path}/users/{user}", new { email = $"{user}@{org.Domain}", name = user, role, notification_events = Array.Empty<string>(), subscriptions });

    /// <summary>Waits until <paramref name="user"/> has <paramref name="count"/> messages; returns them oldest first.</summary>
    private static async Task<List<MailDev.Message>> MailOfAsync(MailDev inbox, ApiScenario org, string user, int count)
    {
        var address = $"{user}@{org.Domain}";
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var mine = (await inbox.MessagesToAsync(org.Domain)).Where(m => m.To.Contains(address, StringComparer.OrdinalIgnoreCase)).ToList();
            if (mine.Count >= count) return mine;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"expected {count} e-mail(s) to {address}, found {mine.Count}");
            await Task.Delay(200);
        }
    }

    private static async Task<int> CountOfAsync(MailDev inbox, ApiScenario org, string user) =>
        (await inbox.MessagesToAsync(org.Domain)).Count(m => m.To.Contains($"{user}@{org.Domain}", StringComparer.OrdinalIgnoreCase));

    [Fact]
    public async Task Digests_tell_each_user_their_own_flows_resolutions_only_to_those_told_and_nothing_when_nothing_changed()
    {
        await using var deployment = await new LocalDeployment(settings: Quick).StartAllAsync();
        var org = await ApiScenario.CreateAsync(deployment.Api, environment: "staging", production: false);
        await org.AddIntegrationAsync("crm", "outbound_webhook", "CRM sync");
        await FollowAsync(org, "ann", "admin", new { flows = new[] { new { integration_id = "crm", flow = "orders" } } });
        await FollowAsync(org, "bob", "monitor", new { flows = new[] { new { integration_id = "crm", flow = "invoices" } } });

        await PostAsync(org, ("orders", "o-1"), ("orders", "o-1"), ("invoices", "i-1"));

        var ann = (await MailOfAsync(deployment.Inbox, org, "ann", 1))[0];
        Assert.Equal("[staging] Error digest: 1 new, 0 resolved, 1 still open", ann.Subject);
        Assert.Contains("CRM sync / orders [502 Bad Gateway] trace o-1: orders o-1 failed", ann.Text);
        Assert.Contains("2 occurrences", ann.Text);
        Assert.DoesNotContain("invoices", ann.Text);
        var bob = (await MailOfAsync(deployment.Inbox, org, "bob", 1))[0];
        Assert.Contains("invoices i-1 failed", bob.Text);
        Assert.DoesNotContain("orders", bob.Text);

        var open = (await deployment.Api.GetFromJsonAsync<JsonNode>($"{org.Path}/errors?status=open&flow=orders"))!["items"]!.AsArray();
        var error = Assert.Single(open)!;
        Assert.Equal(("o-1", 2), ((string)error["trace_key"]!, (int)error["occurrences"]!));
        using (var resolved = await deployment.Api.PostAsJsonAsync($"{org.Path}/errors/{error["id"]}/resolve", new { resolved_by = "ann" }))
        {
            Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
            var body = (await resolved.Content.ReadFromJsonAsync<JsonNode>())!;
            Assert.Equal(("resolved", "manual", "ann"), ((string)body["status"]!, (string)body["resolution"]!, (string)body["resolved_by"]!));
        }
        // Dan starts following orders after o-1 was told and resolved: it is not news to him.
        await FollowAsync(org, "dan", "monitor", new { flows = new[] { new { integration_id = "crm", flow = "orders" } } });
        var annAgain = (await MailOfAsync(deployment.Inbox, org, "ann", 2))[1];
        Assert.Equal("[staging] Error digest: 0 new, 1 resolved, 0 still open", annAgain.Subject);
        Assert.Contains("manual by ann", annAgain.Text);

        // A later round with news for Bob only: Ann (nothing changed) and Dan (never told o-1) get nothing.
        await PostAsync(org, ("invoices", "i-2"));
        var bobAgain = (await MailOfAsync(deployment.Inbox, org, "bob", 2))[1];
        Assert.Equal("[staging] Error digest: 1 new, 0 resolved, 2 still open", bobAgain.Subject);
        await PostAsync(org, ("invoices", "i-3"));
        await MailOfAsync(deployment.Inbox, org, "bob", 3);
        Assert.Equal(2, await CountOfAsync(deployment.Inbox, org, "ann"));
        Assert.Equal(0, await CountOfAsync(deployment.Inbox, org, "dan"));
        // One notification per round that told anybody anything (the resolution and i-2 may have shared one).
        var digests = (await deployment.Api.GetFromJsonAsync<JsonNode>($"{org.Path}/notifications?kind=digest"))!["notifications"]!.AsArray();
        Assert.InRange(digests.Count, 3, 4);
        Assert.Equal(5, digests.Sum(d => (int)d!["delivered"]!));
    }

    [Fact]
    public async Task A_connection_going_offline_and_back_is_told_to_its_followers_twice_and_a_flapping_one_once()
    {
        await using var deployment = await new LocalDeployment(settings: Quick).StartAllAsync();
        var org = await ApiScenario.CreateAsync(deployment.Api);
        await org.AddIntegrationAsync("crm", "outbound_webhook", "CRM sync");
        await org.PutOkAsync($"{org.Path}/connections/db", new { name = "Main DB", integration_ids = new[] { "crm" } });
        await org.PutOkAsync($"{org.Path}/connections/queue", new { name = "Queue", integration_ids = Array.Empty<string>() });
        await FollowAsync(org, "cat", "monitor", new { connections = new[] { "db" } });
        await FollowAsync(org, "eve", "monitor", new { connections = new[] { "queue" } });
        await org.AddUserAsync("nobody", "outgoing_integration__error");

        // db: offline, back online within the hold → told at once, then once the hold ends.
        await SetAsync(deployment, org, "db", online: false);
        var offline = (await MailOfAsync(deployment.Inbox, org, "cat", 1))[0];
        Assert.Equal("Connection Main DB is offline", offline.Subject);
        Assert.Contains("CRM sync (crm)", offline.Text);
        await SetAsync(deployment, org, "db", online: true);
        var online = (await MailOfAsync(deployment.Inbox, org, "cat", 2))[1];
        Assert.Equal("Connection Main DB is back online", online.Subject);

        // queue: offline, online, offline within the hold → one notice; the hold ends with nothing more to tell.
        await SetAsync(deployment, org, "queue", online: false);
        await SetAsync(deployment, org, "queue", online: true);
        await SetAsync(deployment, org, "queue", online: false);
        var deadline = DateTime.UtcNow + Patience;
        JsonNode queue;
        while ((queue = (await deployment.Api.GetFromJsonAsync<JsonNode>($"{org.Path}/connections/queue"))!)["hold_until"] is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the queue's hold never ended");
            await Task.Delay(200);
        }
        Assert.False((bool)queue["notified_online"]!);
        Assert.Single(await MailOfAsync(deployment.Inbox, org, "eve", 1));
        Assert.Equal(2, await CountOfAsync(deployment.Inbox, org, "cat"));
        Assert.Equal(0, await CountOfAsync(deployment.Inbox, org, "nobody"));
    }

    private static async Task SetAsync(LocalDeployment deployment, ApiScenario org, string connection, bool online)
    {
        using var response = await deployment.Api.PostAsJsonAsync($"{org.Path}/connections/{connection}/status", new { online });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
