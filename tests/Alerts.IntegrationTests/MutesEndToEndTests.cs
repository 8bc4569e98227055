using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// Mute windows over real HTTP on the local stack (issue 22, item 2): refusals naming the field, a muted direction that
/// counts without e-mailing, an early end that e-mails once through maildev, the audit trail, a weekly routine.
/// </summary>
[Collection(StackTests.Name)]
public sealed class MutesEndToEndTests(StackFixture stack)
{
    [Fact]
    public async Task A_muted_direction_sends_nothing_until_the_mute_is_ended_then_one_email()
    {
        var org = await ApiScenario.CreateAsync(stack.Api, limit: 3);
        await org.AddUserAsync("ops", "outgoing_integration__error");
        await org.AddIntegrationAsync("crm", "outbound_webhook", "CRM sync");
        var inAnHour = DateTimeOffset.UtcNow.AddHours(1).ToString("O");

        foreach (var (body, field) in new (object, string)[]
        {
            (new { ends_at = inAnHour, reason = "x", created_by = "ops" }, "scope"),
            (new { scope = "everything", ends_at = inAnHour, reason = "x", created_by = "ops" }, "scope"),
            (new { scope = "outgoing", ends_at = inAnHour, reason = "x" }, "created_by"),
            (new { scope = "outgoing", ends_at = inAnHour, reason = "x", created_by = "ghost" }, "created_by"),
            (new { scope = "outgoing", reason = "x", created_by = "ops" }, "ends_at"),
            (new { scope = "outgoing", ends_at = inAnHour, created_by = "ops" }, "reason"),
            (new { scope = "outgoing", reason = "x", created_by = "ops", weekly = new { days = new[] { "someday" }, start = "22:00", end = "02:00", time_zone = "UTC" } }, "weekly.days[0]"),
            (new { scope = "outgoing", reason = "x", created_by = "ops", weekly = new { days = new[] { "sat" }, start = "22:00", end = "02:00", time_zone = "Mars/Olympus" } }, "weekly.time_zone"),
        })
        {
            using var refused = await stack.Api.PostAsJsonAsync($"{org.Path}/mutes", body);
            var problem = (await refused.Content.ReadFromJsonAsync<JsonNode>())!;
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{field}: {problem.ToJsonString()}");
            Assert.True(problem["errors"]?[field] is not null, $"{field}: {problem.ToJsonString()}");
        }

        using var created = await stack.Api.PostAsJsonAsync($"{org.Path}/mutes", new { scope = "outgoing", ends_at = inAnHour, reason = "CRM migration", created_by = "ops" });
        var mute = (await created.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.True(created.StatusCode == HttpStatusCode.Created, mute.ToJsonString());
        var id = (string)mute["id"]!;
        Assert.True((bool)mute["active"]!);

        await org.PostErrorsAsync("crm", 4);
        await Eventually.TrueAsync(async () => (await stack.Api.GetFromJsonAsync<JsonNode>($"{org.Path}/decisions?direction=outgoing"))!["items"]!.AsArray()
            .Any(d => (string)d!["outcome"]! == "muted" && (string)d["mute_id"]! == id), "the decision log says muted", TimeSpan.FromSeconds(30));
        Assert.Empty(await org.NotificationsAsync());
        Assert.Equal(id, (string)(await stack.Api.GetFromJsonAsync<JsonNode>($"{org.Path}/mutes"))!["items"]![0]!["id"]!);

        using var ended = await stack.Api.PostAsJsonAsync($"{org.Path}/mutes/{id}/end", new { ended_by = "ops" });
        var over = (await ended.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.True(ended.StatusCode == HttpStatusCode.OK, over.ToJsonString());
        Assert.Equal(("ops", false), ((string)over["ended_by"]!, (bool)over["active"]!));
        Assert.Equal(["created", "ended"], over["audit"]!.AsArray().Select(a => (string)a!["action"]!));

        var mail = Assert.Single(await stack.Inbox.WaitForAsync(org.Domain, 1));
        Assert.Contains("4 errors in outgoing integrations", mail.Text);
        using (var unknown = await stack.Api.PostAsJsonAsync($"{org.Path}/mutes/mute-none/end", new { ended_by = "ops" }))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_weekly_routine_is_read_back_as_given_and_can_be_moved()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        await org.AddUserAsync("ops");
        using var created = await stack.Api.PostAsJsonAsync($"{org.Path}/mutes", new
        {
            scope = "organization", reason = "nightly batch", created_by = "ops",
            weekly = new { days = new[] { "sat", "sun" }, start = "22:00", end = "02:00", time_zone = "Europe/Berlin" },
        });
        var mute = (await created.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.True(created.StatusCode == HttpStatusCode.Created, mute.ToJsonString());
        Assert.Equal(["sat", "sun"], mute["weekly"]!["days"]!.AsArray().Select(d => (string)d!).Order());
        Assert.Equal(("22:00", "02:00", "Europe/Berlin"), ((string)mute["weekly"]!["start"]!, (string)mute["weekly"]!["end"]!, (string)mute["weekly"]!["time_zone"]!));
        Assert.True((bool)mute["active"]! || mute["next_start"] is not null);

        var until = DateTimeOffset.UtcNow.AddDays(30);
        using var patched = await stack.Api.PatchAsJsonAsync($"{org.Path}/mutes/{(string)mute["id"]!}", new { ends_at = until, changed_by = "ops" });
        var moved = (await patched.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.True(patched.StatusCode == HttpStatusCode.OK, moved.ToJsonString());
        Assert.Equal(["created", "changed"], moved["audit"]!.AsArray().Select(a => (string)a!["action"]!));
    }
}
