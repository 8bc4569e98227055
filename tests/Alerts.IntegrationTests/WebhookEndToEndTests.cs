using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>Settings that make webhook retries take seconds, with loopback receivers allowed (as in development).</summary>
internal static class WebhookSettings
{
    public static Dictionary<string, string> Quick(string firstRetry = "00:00:01", string maxRetry = "00:00:02") => new(TestSettings.FastFailover)
    {
        ["Alerts__Delivery__AllowLoopback"] = "true",
        ["Alerts__Delivery__FirstRetryDelay"] = firstRetry,
        ["Alerts__Delivery__MaxRetryDelay"] = maxRetry,
        ["Alerts__Delivery__TimerResolution"] = "00:00:00.200",
        ["Alerts__Delivery__WakeUpPeriod"] = "00:00:02",
        ["Alerts__Delivery__Pace"] = "00:00:00.050",
        ["Alerts__Delivery__AdminUiUrl"] = "http://admin.example.test/ui",
    };
}

/// <summary>One stack and one receiver shared by the webhook tests; each test has organizations and paths of its own.</summary>
[CollectionDefinition(Name)]
public sealed class WebhookStackGroup : ICollectionFixture<WebhookStackFixture>
{
    public const string Name = "webhook stack";
}

public sealed class WebhookStackFixture : IAsyncLifetime
{
    public LocalDeployment Stack { get; private set; } = null!;
    public WebhookReceiver Receiver { get; } = new();

    /// <summary>Where the stack's processes export their traces (OTLP), as an operator's collector would take them.</summary>
    public OtlpReceiver Traces { get; } = new();

    public async Task InitializeAsync()
    {
        await Traces.StartAsync();
        await Receiver.StartAsync();
        var settings = WebhookSettings.Quick();
        foreach (var (name, value) in Traces.ExporterSettings()) settings[name] = value;
        Stack = new LocalDeployment(settings: settings);
        await Stack.StartAllAsync();
    }

    public async Task DisposeAsync()
    {
        if (Stack is not null) await Stack.DisposeAsync();
        await Receiver.DisposeAsync();
        await Traces.DisposeAsync();
    }
}

/// <summary>
/// SPEC §5 and §6 end to end: the real silo and gateway on Azurite and maildev deliver to a Kestrel receiver on
/// 127.0.0.1, and every signature is checked with the reference Standard Webhooks library from npm.
/// </summary>
[Collection(WebhookStackGroup.Name)]
public sealed class WebhookEndToEndTests(WebhookStackFixture fixture) : WebhookEndToEndBase(fixture)
{
    [Fact]
    public async Task Deliveries_carry_the_fields_of_SPEC_5_and_verify_with_the_reference_library()
    {
        var (org, path, id, secret) = await SubscribeAsync();
        var published = await PublishAsync(org, RunFailed("e2e-run-1"));
        Assert.Equal(id, (string)published["webhooks"]![0]!);

        var delivery = (await Receiver.WaitForAsync(path, 1, Patience))[0];
        Assert.StartsWith("application/json", delivery.Headers["content-type"]);
        Assert.Equal("msg_e2e-run-1", delivery.Headers["webhook-id"]);
        var payload = JsonNode.Parse(delivery.Body)!.AsObject();
        Assert.Equal(
            ["event_type", "environment", "account_id", "account_name", "timestamp", "run_id", "run_status", "admin_link", "api_link",
             "api_status_link", "api_triggers_link", "tenant_id", "tenant_name", "integration_id", "integration_name"],
            payload.Select(p => p.Key));
        Assert.Equal("run_failed", (string)payload["event_type"]!);
        Assert.Equal("production", (string)payload["environment"]!);
        Assert.Equal(org.AccountId, (long)payload["account_id"]!);
        Assert.Equal($"Org {org.OrgId}", (string)payload["account_name"]!);
        Assert.Equal("2026-11-26T10:15:00Z", (string)payload["timestamp"]!);
        Assert.Equal("https://api.example/v1/runs/77/triggers", (string)payload["api_triggers_link"]!);
        Assert.Equal("Tenant Nine", (string)payload["tenant_name"]!);

        var (verified, output) = await WebhookReceiver.VerifyWithReferenceAsync(delivery, secret);
        Assert.True(verified, output);
        Assert.Equal("verified run_failed", output);
        // The same check refuses a delivery signed with another secret (it can fail).
        var (forged, _) = await WebhookReceiver.VerifyWithReferenceAsync(delivery, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        Assert.False(forged);

        await PublishAsync(org, new { event_type = "integration_created", integration_id = 31, integration_name = "CRM sync" });
        var created = (await Receiver.WaitForAsync(path, 2, Patience))[1];
        Assert.Equal(["event_type", "environment", "account_id", "account_name", "timestamp", "integration_id", "integration_name"],
            JsonNode.Parse(created.Body)!.AsObject().Select(p => p.Key));
        Assert.True((await WebhookReceiver.VerifyWithReferenceAsync(created, secret)).Verified);

        // The delivery log lists both attempts, newest first.
        var log = (await Api.GetFromJsonAsync<JsonNode>($"{org.Path}/webhooks/{id}/deliveries"))!["items"]!.AsArray();
        Assert.Equal(["integration_created", "run_failed"], log.Select(a => (string)a!["event_type"]!));
        Assert.All(log, a => Assert.Equal("delivered", (string)a!["outcome"]!));
        Assert.All(log, a => Assert.Equal(200, (int)a!["status_code"]!));
    }

    [Fact]
    public async Task The_organizations_webhook_url_and_email_subscribers_get_platform_events()
    {
        var org = await ApiScenario.CreateAsync(Api);
        var path = $"/{org.OrgId}/platform";
        var settings = await org.PutOkAsync($"{org.Path}/notification-settings", new
        {
            webhook_url = Receiver.Url(path),
            events = new { run_failed = new { send_webhook = true, emails = $"a@{org.Domain}, b@{org.Domain}" } },
        });
        var secret = (string)settings["webhook_secret"]!;
        Assert.Equal("platform-events", (string)settings["webhook_id"]!);
        Assert.False((bool)settings["events"]!["tenant_created"]!["send_webhook"]!);

        await PublishAsync(org, RunFailed("e2e-platform-1"));
        var delivery = (await Receiver.WaitForAsync(path, 1, Patience))[0];
        Assert.True((await WebhookReceiver.VerifyWithReferenceAsync(delivery, secret)).Verified);

        var mail = await Fixture.Stack.Inbox.WaitForAsync(org.Domain, 3, Patience);
        Assert.Equal([$"a@{org.Domain}", $"b@{org.Domain}", $"owner@{org.Domain}"], mail.SelectMany(m => m.To).Order(StringComparer.Ordinal));
        Assert.All(mail, m => Assert.Equal("Run failed: CRM sync", m.Subject));
        Assert.All(mail, m => Assert.Contains("https://api.example/v1/runs/77/status", m.Text));

        // A missing field of the type is a 400 naming it, and nothing is sent.
        var (status, problem) = await ApiScenario.SendAsync(Api, HttpMethod.Post, $"{org.Path}/platform-events",
            ApiScenario.Json(new { event_type = "tenant_created", tenant_id = 3, integration_id = 31, integration_name = "CRM" }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]!["tenant_name"]);
        var (unknown, unknownProblem) = await ApiScenario.SendAsync(Api, HttpMethod.Post, $"{org.Path}/platform-events",
            ApiScenario.Json(new { event_type = "outgoing_integration__error" }));
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.NotNull(unknownProblem!["errors"]!["event_type"]);
    }

    [Fact]
    public async Task Six_failures_disable_it_tell_the_owner_once_and_a_new_url_enables_it_again()
    {
        var (org, path, id, _) = await SubscribeAsync();
        Receiver.Script(path, _ => new WebhookReceiver.Answer(500));
        await PublishAsync(org, RunFailed("e2e-breaker-1"));

        await WaitForWebhookAsync(org, id, w => !(bool)w["enabled"]!, "six failures disabled it");
        var disabled = await WebhookAsync(org, id);
        Assert.Equal(6, (int)disabled["consecutive_failures"]!);
        Assert.Equal("HTTP 500", (string)disabled["disabled_reason"]!);
        Assert.NotNull(disabled["disabled_at"]);

        // The owner: warned once at 3, told at 6 (e-mail with the URL and the page), and one unread in-app notification.
        var mail = await MailToAsync(org, "dev", 2);
        Assert.Single(mail, m => m.Subject == $"Webhook {id} is failing");
        var told = Assert.Single(mail, m => m.Subject == $"Webhook {id} disabled");
        Assert.Contains(Receiver.Url(path), told.Text);
        Assert.Contains($"http://admin.example.test/ui/orgs/{org.OrgId}/webhooks/{id}", told.Text);
        var inbox = (await Api.GetFromJsonAsync<JsonNode>($"{org.Path}/users/dev/notifications"))!;
        Assert.Equal(1, (int)inbox["unread_count"]!);
        Assert.Equal("webhook_disabled", (string)inbox["items"]![0]!["kind"]!);

        // Disabled: a new event is left out of dispatch.
        var skipped = await PublishAsync(org, RunFailed("e2e-breaker-2"));
        Assert.Empty(skipped["webhooks"]!.AsArray());

        // A new URL enables it with its streak at 0, and events reach the new URL.
        var newPath = path + "-moved";
        using var patch = await Api.PatchAsJsonAsync($"{org.Path}/webhooks/{id}", new { url = Receiver.Url(newPath) });
        var moved = JsonNode.Parse(await patch.Content.ReadAsStringAsync())!;
        Assert.True(patch.StatusCode == HttpStatusCode.OK, moved.ToJsonString());
        Assert.True((bool)moved["enabled"]!);
        Assert.Equal(0, (int)moved["consecutive_failures"]!);
        await PublishAsync(org, RunFailed("e2e-breaker-3"));
        var arrived = await Receiver.WaitForAsync(newPath, 1, Patience);
        Assert.Contains(arrived, r => r.Headers["webhook-id"] == "msg_e2e-breaker-3");
        Assert.DoesNotContain(Receiver.At(path).Concat(Receiver.At(newPath)), r => r.Headers["webhook-id"] == "msg_e2e-breaker-2");

        // Delivering again after the change is told too; reading everything clears the badge.
        await Eventually.TrueAsync(async () => (await Api.GetFromJsonAsync<JsonNode>($"{org.Path}/users/dev/notifications"))!["items"]!.AsArray()
            .Any(i => (string)i!["kind"]! == "webhook_recovered"), "the owner was told it delivers again", Patience);
        var read = await Api.PostAsync($"{org.Path}/users/dev/notifications/read", null);
        Assert.Equal(0, (int)(await read.Content.ReadFromJsonAsync<JsonNode>())!["unread_count"]!);
    }

    [Fact]
    public async Task Five_failures_then_a_success_keep_it_enabled_and_enable_brings_a_disabled_one_back()
    {
        var (org, path, id, secret) = await SubscribeAsync();
        Receiver.Script(path, n => new WebhookReceiver.Answer(n <= 5 ? 503 : 200));
        await PublishAsync(org, RunFailed("e2e-five-1"));
        var attempts = await Receiver.WaitForAsync(path, 6, Patience);
        await WaitForWebhookAsync(org, id, w => (int)w["pending_deliveries"]! == 0, "the sixth attempt was recorded");
        var view = await WebhookAsync(org, id);
        Assert.True((bool)view["enabled"]!);
        Assert.Equal(0, (int)view["consecutive_failures"]!);

        // One message id across its retries, each attempt signed afresh (and each verifies).
        Assert.Single(attempts.Take(6).Select(a => a.Headers["webhook-id"]).Distinct());
        foreach (var attempt in attempts.Take(6)) Assert.True((await WebhookReceiver.VerifyWithReferenceAsync(attempt, secret)).Verified);

        // Now six failures disable it; enable brings it back with the streak at 0 and delivers again.
        Receiver.Script(path, n => new WebhookReceiver.Answer(n <= 12 ? 500 : 200));
        await PublishAsync(org, RunFailed("e2e-five-2"));
        await WaitForWebhookAsync(org, id, w => !(bool)w["enabled"]!, "disabled");
        await Receiver.WaitForAsync(path, 12, Patience);
        using var enable = await Api.PostAsync($"{org.Path}/webhooks/{id}/enable", null);
        var enabled = (await enable.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.True((bool)enabled["enabled"]!);
        Assert.Equal(0, (int)enabled["consecutive_failures"]!);
        await PublishAsync(org, RunFailed("e2e-five-3"));
        await Eventually.TrueAsync(() => Receiver.At(path).Any(r => r.Headers["webhook-id"] == "msg_e2e-five-3"), "delivered after enable", Patience);
        var mail = await MailToAsync(org, "dev", 4);
        Assert.Contains(mail, m => m.Subject == $"Webhook {id} delivers again");
    }

    [Fact]
    public async Task Monitor_keys_the_owners_email_and_in_app_notices_see_the_url_without_its_query_string()
    {
        var org = await ApiScenario.CreateAsync(Api);
        await org.AddUserAsync("dev");
        var path = $"/{org.OrgId}/tokened";
        var url = Receiver.Url(path) + "?token=s3cr3t-t0ken";
        using var created = await Api.PostAsJsonAsync($"{org.Path}/webhooks", new { url, events = new[] { "run_failed" }, owner_user_id = "dev" });
        var id = (string)(await created.Content.ReadFromJsonAsync<JsonNode>())!["id"]!;
        await org.PutOkAsync($"{org.Path}/notification-settings", new { webhook_url = url });
        using var keyResponse = await Api.PostAsJsonAsync($"{org.Path}/keys", new { role = "monitor", name = "wallboard" });
        using var monitor = new HttpClient { BaseAddress = Api.BaseAddress };
        monitor.DefaultRequestHeaders.Authorization = new("Bearer", (string)(await keyResponse.Content.ReadFromJsonAsync<JsonNode>())!["key"]!);

        var masked = Receiver.Url(path) + "?…";
        var seenByMonitor = string.Join("\n",
            await monitor.GetStringAsync($"{org.Path}/webhooks"),
            await monitor.GetStringAsync($"{org.Path}/webhooks/{id}"),
            await monitor.GetStringAsync($"{org.Path}/notification-settings"));
        Assert.DoesNotContain("s3cr3t", seenByMonitor, StringComparison.Ordinal);
        Assert.Equal(masked, (string)JsonNode.Parse(await monitor.GetStringAsync($"{org.Path}/webhooks/{id}"))!["url"]!);
        Assert.Equal(masked, (string)JsonNode.Parse(await monitor.GetStringAsync($"{org.Path}/notification-settings"))!["webhook_url"]!);
        // An admin key (here the operator) sees it whole: it is what they would change.
        Assert.Equal(url, (string)(await WebhookAsync(org, id))["url"]!);

        // Three failures warn the owner: the e-mail and the in-app notice name the URL masked.
        Receiver.Script(path, _ => new WebhookReceiver.Answer(500));
        await PublishAsync(org, RunFailed("masked-1"));
        var warned = Assert.Single(await MailToAsync(org, "dev", 1), m => m.Subject == $"Webhook {id} is failing");
        Assert.Contains(masked, warned.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", warned.Text + warned.Html, StringComparison.Ordinal);
        var inbox = await Api.GetStringAsync($"{org.Path}/users/dev/notifications");
        Assert.Contains("failing", inbox, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", inbox, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_retried_no_sooner_than_asked()
    {
        var (org, path, id, _) = await SubscribeAsync();
        Receiver.Script(path, n => n == 1 ? new WebhookReceiver.Answer(429, "2") : new WebhookReceiver.Answer(200));
        await PublishAsync(org, RunFailed("e2e-429"));
        var attempts = await Receiver.WaitForAsync(path, 2, Patience);
        // Without Retry-After the first retry would come after 0.8 to 1.2 seconds (this stack's back-off).
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromSeconds(1.95), $"retried after {attempts[1].At - attempts[0].At}");
        var log = (await Api.GetFromJsonAsync<JsonNode>($"{org.Path}/webhooks/{id}/deliveries"))!["items"]!.AsArray();
        var limited = log.Single(a => (int?)a!["status_code"] == 429)!;
        var at = DateTimeOffset.Parse((string)limited["at"]!, System.Globalization.CultureInfo.InvariantCulture);
        var next = DateTimeOffset.Parse((string)limited["next_attempt_at"]!, System.Globalization.CultureInfo.InvariantCulture);
        var took = TimeSpan.FromMilliseconds((int)limited["duration_ms"]!);
        Assert.InRange(next - at, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3) + took);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://[fd00:ec2::254]/")]
    public async Task A_private_or_metadata_url_is_refused_with_a_400(string url)
    {
        var org = await ApiScenario.CreateAsync(Api);
        await org.AddUserAsync("dev");
        var (status, problem) = await ApiScenario.SendAsync(Api, HttpMethod.Post, $"{org.Path}/webhooks",
            ApiScenario.Json(new { url, events = new[] { "run_failed" }, owner_user_id = "dev" }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("resolves to a private address", (string)problem!["errors"]!["url"]![0]!);
        Assert.Empty((await Api.GetFromJsonAsync<JsonNode>($"{org.Path}/webhooks"))!["items"]!.AsArray());
    }
}

/// <summary>A retry waiting in the subscription's schedule is made after its silo is killed and another one started.</summary>
public sealed class WebhookRestartTests
{
    [Fact]
    public async Task A_delivery_scheduled_for_retry_is_attempted_after_the_silo_restarts()
    {
        await using var receiver = await new WebhookReceiver().StartAsync();
        await using var stack = new LocalDeployment(settings: WebhookSettings.Quick(firstRetry: "00:00:12", maxRetry: "00:00:12"));
        await stack.StartAllAsync();
        var org = await ApiScenario.CreateAsync(stack.Api);
        await org.AddUserAsync("dev");
        const string path = "/restart";
        receiver.Script(path, n => new WebhookReceiver.Answer(n == 1 ? 502 : 200));
        using var created = await stack.Api.PostAsJsonAsync($"{org.Path}/webhooks", new
        {
            url = receiver.Url(path), events = new[] { "integration_created" }, owner_user_id = "dev",
        });
        var webhook = (await created.Content.ReadFromJsonAsync<JsonNode>())!;
        using var published = await stack.Api.PostAsJsonAsync($"{org.Path}/platform-events",
            new { event_type = "integration_created", id = "restart-1", integration_id = 31, integration_name = "CRM" });
        Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        await receiver.WaitForAsync(path, 1, TimeSpan.FromSeconds(60));

        // The retry is due in about 12 s: the silo dies first, and a new one takes over.
        await stack.StopSiloAsync(stack.Silos[0], kill: true);
        await stack.StartSiloAsync();
        var attempts = await receiver.WaitForAsync(path, 2, TimeSpan.FromSeconds(90));
        Assert.Equal("msg_restart-1", attempts[1].Headers["webhook-id"]);
        Assert.NotEqual(attempts[0].Headers["webhook-timestamp"], attempts[1].Headers["webhook-timestamp"]);
        Assert.True((await WebhookReceiver.VerifyWithReferenceAsync(attempts[1], (string)webhook["secret"]!)).Verified);
    }
}
