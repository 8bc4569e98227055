using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// Issue 22, item 1 over real HTTP: Slack, Teams and signed-JSON delivery targets, posted to a receiver on 127.0.0.1
/// that checks each message against its platform's documented shape (and the JSON's signature with the reference
/// Standard Webhooks library); refusals name the field; a failing target is disabled and its owner e-mailed.
/// </summary>
[Collection(WebhookStackGroup.Name)]
public sealed class TargetsEndToEndTests(WebhookStackFixture fixture) : WebhookEndToEndBase(fixture)
{
    private async Task<(JsonNode Body, HttpStatusCode Status)> PostAsync(string path, object? body)
    {
        using var response = body is null ? await Api.PostAsync(path, null) : await Api.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return (text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!, response.StatusCode);
    }

    [Fact]
    public async Task A_threshold_alert_reaches_each_target_once_in_its_platforms_shape_and_the_json_one_verifies()
    {
        var org = await ApiScenario.CreateAsync(Api, limit: 3);
        await org.AddUserAsync("ops", "outgoing_integration__error");
        await org.AddIntegrationAsync("crm", "outbound_webhook", "CRM <sync> & co");
        var (slackPath, teamsPath, jsonPath) = ($"/{org.OrgId}/slack/T1/B1/tok", $"/{org.OrgId}/teams?sig=tok", $"/{org.OrgId}/json");

        var (slack, slackStatus) = await PostAsync($"{org.Path}/users/ops/targets", new { type = "slack", url = Receiver.Url(slackPath), name = "ops channel" });
        Assert.True(slackStatus == HttpStatusCode.Created, slack.ToJsonString());
        Assert.Null(slack["secret"]);
        var (teams, _) = await PostAsync($"{org.Path}/users/ops/targets", new { type = "teams", url = Receiver.Url(teamsPath), name = "ops team" });
        Assert.Equal(Receiver.Url("/…"), (string)teams["target"]!["url"]!);
        var (json, jsonStatus) = await PostAsync($"{org.Path}/targets",
            new { type = "webhook", url = Receiver.Url(jsonPath), name = "on-call", events = new[] { "outgoing_integration__error", "connections" } });
        Assert.True(jsonStatus == HttpStatusCode.Created, json.ToJsonString());
        var secret = (string)json["secret"]!;
        Assert.StartsWith("whsec_", secret);

        var listed = (await Api.GetFromJsonAsync<JsonNode>($"{org.Path}/targets"))!["items"]!.AsArray();
        Assert.Equal(3, listed.Count);
        Assert.DoesNotContain(listed, t => ((string)t!["url"]!).Contains("tok", StringComparison.Ordinal));

        await org.PostErrorsAsync("crm", 3);
        var slackPost = Assert.Single(await Receiver.WaitForAsync(slackPath, 1, Patience));
        var teamsPost = Assert.Single(await Receiver.WaitForAsync("/" + org.OrgId + "/teams", 1, Patience));
        var jsonPost = Assert.Single(await Receiver.WaitForAsync(jsonPath, 1, Patience));
        await MailToAsync(org, "ops", 1);

        var slackBody = JsonNode.Parse(slackPost.Body)!;
        Assert.Empty(ChatSchemas.Slack(slackBody));
        Assert.Contains("CRM &lt;sync&gt; &amp; co", slackPost.Body.Replace("\\u0026", "&", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Empty(ChatSchemas.Teams(JsonNode.Parse(teamsPost.Body)!, System.Text.Encoding.UTF8.GetByteCount(teamsPost.Body)));
        var jsonBody = JsonNode.Parse(jsonPost.Body)!;
        Assert.Empty(ChatSchemas.JsonTarget(jsonBody));
        Assert.Equal("alerts.threshold_exceeded", (string)jsonBody["type"]!);
        var links = jsonBody["data"]!["links"]!.AsArray().Select(l => ((string)l!["label"]!, (string)l["url"]!)).ToList();
        Assert.Contains(links, l => l.Item2.EndsWith($"/ui/orgs/{org.OrgId}/failures", StringComparison.Ordinal));
        Assert.Contains(links, l => l.Item1.StartsWith("Download the CSV", StringComparison.Ordinal) && Uri.IsWellFormedUriString(l.Item2, UriKind.Absolute));
        var (verified, output) = await WebhookReceiver.VerifyWithReferenceAsync(jsonPost, secret);
        Assert.True(verified, output);
        Assert.Equal("verified alerts.threshold_exceeded", output);

        // The notification log lists each target as a recipient, sent; never its URL.
        JsonNode? alert = null;
        await Eventually.TrueAsync(async () =>
        {
            alert = (await org.NotificationsAsync()).FirstOrDefault(n => (string)n!["kind"]! == "threshold_exceeded" && (string)n["status"]! == "sent");
            return alert is not null;
        }, "the alert is logged as sent", Patience);
        // Traced as alerts.target.post with the URL masked; the HTTP client's span, which would carry the whole URL (a
        // Slack webhook's path is its credential), is not exported.
        await Eventually.TrueAsync(() => Fixture.Traces.Named("alerts.target.post").Count(s => s.Kind == OtlpReceiver.Client) >= 3,
            "the posts were traced", Patience);
        Assert.False(Fixture.Traces.Exported("/B1/tok"), "a span carried the Slack URL's path");
        var recipients = alert!["recipients"]!.AsArray().Select(r => (string)r!).ToList();
        Assert.Contains($"slack {(string)slack["target"]!["id"]!}", recipients);
        Assert.Contains($"webhook {(string)json["target"]!["id"]!}", recipients);
        Assert.DoesNotContain(recipients, r => r.Contains("127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_targets_get_a_400_naming_the_field_and_a_failing_one_is_disabled_and_its_owner_told()
    {
        var org = await ApiScenario.CreateAsync(Api);
        await org.AddUserAsync("dev");
        foreach (var (endpoint, body, field) in new (string, object, string)[]
        {
            ("/users/dev/targets", new { type = "discord", url = Receiver.Url("/x") }, "type"),
            ("/users/dev/targets", new { type = "slack" }, "url"),
            ("/users/dev/targets", new { type = "slack", url = "http://169.254.169.254/latest" }, "url"),
            ("/users/dev/targets", new { type = "slack", url = Receiver.Url("/x"), events = new[] { "connections" } }, "events"),
            ("/targets", new { type = "teams", url = Receiver.Url("/x") }, "events"),
            ("/targets", new { type = "teams", url = Receiver.Url("/x"), events = new[] { "run_failed" } }, "events[0]"),
        })
        {
            var (problem, status) = await PostAsync($"{org.Path}{endpoint}", body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{endpoint} {problem.ToJsonString()}");
            Assert.NotNull(problem["errors"]![field]);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync($"{org.Path}/users/ghost/targets", new { type = "slack", url = Receiver.Url("/x") })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync($"{org.Path}/targets/tgt_none/test", null)).Status);

        var path = $"/{org.OrgId}/gone";
        Receiver.Script(path, _ => new WebhookReceiver.Answer(404));
        var (created, _) = await PostAsync($"{org.Path}/users/dev/targets", new { type = "slack", url = Receiver.Url(path), name = "old channel" });
        var id = (string)created["target"]!["id"]!;
        Assert.Equal("dev", (string)(await Api.GetFromJsonAsync<JsonNode>($"{org.Path}/targets/{id}"))!["user_id"]!); // admins see every target
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync($"{org.Path}/users/other/targets/{id}/test", null)).Status);
        for (var i = 1; i <= 6; i++)
        {
            var (sent, status) = await PostAsync($"{org.Path}/users/dev/targets/{id}/test", null);
            Assert.True(status == HttpStatusCode.Accepted, sent.ToJsonString());
            await Receiver.WaitForAsync(path, i, Patience);
            await Eventually.TrueAsync(async () => (string)(await org.NotificationsAsync()).First(n => (string)n!["id"]! == (string)sent["notification_id"]!)!["status"]! == "failed",
                $"test {i} is logged as failed", Patience);
        }
        JsonNode target = null!;
        await Eventually.TrueAsync(async () => !(bool)(target = (await Api.GetFromJsonAsync<JsonNode>($"{org.Path}/targets/{id}"))!)["enabled"]!, "six failures disabled it", Patience);
        Assert.Equal("HTTP 404: failing with 404", (string)target["disabled_reason"]!);
        var notice = Assert.Single(await MailToAsync(org, "dev", 1));
        Assert.Equal($"Slack target {id} disabled", notice.Subject);

        var (refused, conflict) = await PostAsync($"{org.Path}/users/dev/targets/{id}/test", null);
        Assert.True(conflict == HttpStatusCode.Conflict, refused.ToJsonString());
        Receiver.Script(path, _ => new WebhookReceiver.Answer(200));
        var (enabled, ok) = await PostAsync($"{org.Path}/users/dev/targets/{id}/enable", null);
        Assert.True(ok == HttpStatusCode.OK && (bool)enabled["enabled"]!, enabled.ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync($"{org.Path}/users/dev/targets/{id}/test", null)).Status);
        var posts = await Receiver.WaitForAsync(path, 7, Patience);
        Assert.Empty(ChatSchemas.Slack(JsonNode.Parse(posts[^1].Body)!));
        using (var deleted = await Api.DeleteAsync($"{org.Path}/users/dev/targets/{id}")) Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty((await Api.GetFromJsonAsync<JsonNode>($"{org.Path}/users/dev/targets"))!["items"]!.AsArray());
    }
}
