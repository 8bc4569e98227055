using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// Issue 22, item 4 end to end through HTTP: recovering what did not arrive, a subscription's health, and keeping new
/// events while it is disabled.
/// </summary>
[Collection(WebhookStackGroup.Name)]
public sealed class WebhookRecoveryEndToEndTests(WebhookStackFixture fixture) : WebhookEndToEndBase(fixture)
{
    [Fact]
    public async Task Recover_checks_since_is_refused_while_disabled_and_answers_what_it_queued()
    {
        var (org, path, id, _) = await SubscribeAsync();
        var recover = $"{org.Path}/webhooks/{id}/recover";
        foreach (var (body, problem) in new (object, string)[]
        {
            (new { }, "ISO 8601"), (new { since = "yesterday" }, "ISO 8601"), (new { since = "2026-12-04T08:00:00" }, "offset"),
            (new { since = DateTimeOffset.UtcNow.AddHours(1).ToString("O") }, "future"),
        })
        {
            using var refused = await Api.PostAsJsonAsync(recover, body);
            var answer = (await refused.Content.ReadFromJsonAsync<JsonNode>())!;
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, answer.ToJsonString());
            Assert.Contains(problem, (string)answer["errors"]!["since"]![0]!);
        }
        using (var unknown = await Api.PostAsJsonAsync($"{org.Path}/webhooks/wh-none/recover", new { since = "2026-12-01T00:00:00Z" }))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // Nothing failed yet: nothing to send again.
        using (var nothing = await Api.PostAsJsonAsync(recover, new { since = "2026-12-01T00:00:00Z" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, nothing.StatusCode);
            var counts = (await nothing.Content.ReadFromJsonAsync<JsonNode>())!;
            Assert.Equal((0, 0), ((int)counts["queued"]!, (int)counts["left"]!));
        }

        // Disabled by its breaker: refused with 409 until it is enabled.
        Receiver.Script(path, _ => new WebhookReceiver.Answer(500));
        await PublishAsync(org, RunFailed("e2e-recover-1"));
        await WaitForWebhookAsync(org, id, w => !(bool)w["enabled"]!, "six failures disabled it");
        using var conflict = await Api.PostAsJsonAsync(recover, new { since = "2026-12-01T00:00:00Z" });
        var why = (await conflict.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.True(conflict.StatusCode == HttpStatusCode.Conflict, why.ToJsonString());
        Assert.Contains("enable it first", (string)why["errors"]!["webhook_id"]![0]!);

        // Its health says so: six attempts or more today, none delivered, never delivered.
        var health = (await Api.GetFromJsonAsync<JsonNode>($"{org.Path}/webhooks/{id}/health"))!;
        Assert.Equal(24, (int)health["window_hours"]!);
        Assert.True((int)health["attempts"]! >= 6, health.ToJsonString());
        Assert.Equal((0, 0.0), ((int)health["delivered"]!, (double)health["success_rate"]!));
        Assert.NotNull(health["p99_ms"]);
        Assert.Null(health["last_success_at"]);
        using (var none = await Api.GetAsync($"{org.Path}/webhooks/wh-none/health")) Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task A_subscription_that_keeps_events_while_disabled_delivers_them_in_order_when_enabled()
    {
        var (org, path, id, _) = await SubscribeAsync();
        Assert.False((bool)(await WebhookAsync(org, id))["keep_while_disabled"]!);
        using (var refused = await Api.PatchAsJsonAsync($"{org.Path}/webhooks/{id}", new { keep_while_disabled = "yes" }))
        {
            var problem = (await refused.Content.ReadFromJsonAsync<JsonNode>())!;
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, problem.ToJsonString());
            Assert.NotNull(problem["errors"]!["keep_while_disabled"]);
        }
        using (var patched = await Api.PatchAsJsonAsync($"{org.Path}/webhooks/{id}", new { keep_while_disabled = true }))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
            Assert.True((bool)(await patched.Content.ReadFromJsonAsync<JsonNode>())!["keep_while_disabled"]!);
        }

        // Down until six failures disable it.
        var up = false;
        Receiver.Script(path, _ => new WebhookReceiver.Answer(Volatile.Read(ref up) ? 200 : 500));
        await PublishAsync(org, RunFailed("e2e-keep-0"));
        await WaitForWebhookAsync(org, id, w => !(bool)w["enabled"]!, "six failures disabled it");

        // While disabled, new events are taken and held: none is attempted.
        var held = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            var published = await PublishAsync(org, RunFailed($"e2e-keep-{i}"));
            Assert.Equal([id], published["webhooks"]!.AsArray().Select(w => (string)w!).ToList());
            held.Add((string)published["message_id"]!);
        }
        var disabled = await WebhookAsync(org, id);
        Assert.Equal(3, (int)disabled["held_deliveries"]!);
        Assert.Equal(0, (int)disabled["dropped_while_disabled"]!);

        Assert.DoesNotContain(Receiver.At(path), r => held.Contains(r.Headers["webhook-id"]));

        // Back up and enabled: the held events arrive, oldest first, each once, with the ids they were published with.
        Volatile.Write(ref up, true);
        using (var enabled = await Api.PostAsync($"{org.Path}/webhooks/{id}/enable", null))
        {
            var view = (await enabled.Content.ReadFromJsonAsync<JsonNode>())!;
            Assert.True(enabled.StatusCode == HttpStatusCode.OK, view.ToJsonString());
            Assert.Equal(0, (int)view["held_deliveries"]!);
        }
        List<string> Arrived() => Receiver.At(path).Select(r => r.Headers["webhook-id"]).Where(held.Contains).ToList();
        await Eventually.TrueAsync(() => Arrived().Count >= held.Count, "the held events arrived", Patience);
        Assert.Equal(held, Arrived());
    }
}
