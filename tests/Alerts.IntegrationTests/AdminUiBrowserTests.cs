using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Alerts.IntegrationTests;

/// <summary>
/// The admin UI in Debian's Chromium (headless, offline) against the real stack: log in with an organization key, the
/// dashboard's donut and its legend, numbers equal to the API's, a failure's detail with guidance, a threshold saved, a
/// disabled webhook enabled again, the in-app badge. A screenshot of every page goes to the test output's screenshots/.
/// </summary>
public sealed class AdminUiBrowserTests : IAsyncLifetime
{
    private readonly LocalDeployment _stack = new(settings: WebhookSettings.Quick());
    private readonly WebhookReceiver _receiver = new();
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        await _receiver.StartAsync();
        await _stack.StartAllAsync();
        _playwright = await Playwright.CreateAsync();
        var chromium = new[] { "/usr/lib/chromium/chromium", "/usr/bin/chromium" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is not installed: test.sh installs it with apt-get install -y chromium");
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _stack.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private static async Task ShootAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, $"{name}.png"), FullPage = true });

    private readonly List<string> _console = [];

    /// <summary>Waits until the page says it rendered <paramref name="name"/>; a timeout reports what the browser logged.</summary>
    private async Task ReadyAsync(IPage page, string name)
    {
        try
        {
            await page.WaitForSelectorAsync($"body[data-ready='{name}']", new PageWaitForSelectorOptions { Timeout = 30_000, State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"page '{name}' did not render; the browser logged: {string.Join(" | ", _console)}", exception);
        }
    }

    [Fact]
    public async Task An_admin_logs_in_reads_the_dashboard_opens_a_failure_saves_a_threshold_and_enables_a_webhook()
    {
        var api = _stack.Api;
        var org = await ApiScenario.CreateAsync(api);
        await org.PutOkAsync($"{org.Path}/users/dev", new { email = $"dev@{org.Domain}", name = "Dev", role = "admin", notification_events = Array.Empty<string>() });
        string[] types = ["inbound_webhook", "outbound_webhook", "prebuilt", "custom_node", "custom_event"];
        var events = new List<object>();
        var now = DateTimeOffset.UtcNow;
        for (var t = 0; t < types.Length; t++)
        {
            await org.AddIntegrationAsync($"int-{t}", types[t], $"Integration {t}");
            for (var d = 0; d < 10; d++)
            {
                for (var n = 0; n < t + 1; n++)
                    events.Add(new { event_id = $"e-{t}-{d}-{n}", integration_id = $"int-{t}", outcome = "error", status_code = t % 2 == 0 ? 429 : 502,
                        message = $"call failed ({t})", flow = "sync", occurred_at = now.AddDays(-d).AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture) });
                events.Add(new { event_id = $"s-{t}-{d}", integration_id = $"int-{t}", outcome = "success", occurred_at = now.AddDays(-d).AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture) });
            }
        }
        using (var posted = await api.PostAsJsonAsync($"{org.Path}/events", new { events }))
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        // A webhook whose receiver always fails: six attempts (seconds apart here) disable it.
        _receiver.Script("/down", _ => new WebhookReceiver.Answer(500));
        using (var created = await api.PostAsJsonAsync($"{org.Path}/webhooks", new { url = _receiver.Url("/down"), events = new[] { "integration_created" }, owner_user_id = "dev" }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using (var published = await api.PostAsJsonAsync($"{org.Path}/platform-events", new { event_type = "integration_created", integration_id = 0, integration_name = "Integration 0" }))
            Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        await Eventually.TrueAsync(async () => (await api.GetFromJsonAsync<JsonNode>($"{org.Path}/webhooks"))!["items"]![0]!["enabled"]!.GetValue<bool>() == false,
            "the webhook was disabled", TimeSpan.FromSeconds(60));
        using var keyResponse = await api.PostAsJsonAsync($"{org.Path}/keys", new { role = "admin", name = "browser" });
        var key = (string)(await keyResponse.Content.ReadFromJsonAsync<JsonNode>())!["key"]!;

        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.Console += (_, message) => _console.Add($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => _console.Add($"error: {error}");
        page.RequestFailed += (_, request) => _console.Add($"failed: {request.Url} {request.Failure}");
        page.Response += (_, response) => { if (response.Status >= 400) _console.Add($"answered {response.Status}: {response.Url}"); };
        var baseUrl = api.BaseAddress!.ToString().TrimEnd('/');

        // Log in: the key stays in the tab's session storage.
        await page.GotoAsync($"{baseUrl}/ui/");
        await ReadyAsync(page, "login");
        await ShootAsync(page, "login");
        await page.FillAsync("#login-key", key);
        await page.FillAsync("#login-user", "dev");
        await page.ClickAsync("#login-submit");
        await ReadyAsync(page, "dashboard");
        await ShootAsync(page, "dashboard");

        // The donut has the five types; clicking one in the legend hides it, clicking again shows it.
        var legend = page.Locator("#donut-legend li");
        Assert.Equal(5, await legend.CountAsync());
        var outbound = page.Locator("#donut-legend li[data-type='outbound_webhook']");
        await outbound.ClickAsync();
        Assert.Contains("hidden", await outbound.GetAttributeAsync("class") ?? "");
        Assert.False(await page.EvaluateAsync<bool>("() => window.alerts.charts.donut.getDataVisibility(1)"));
        await outbound.ClickAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => window.alerts.charts.donut.getDataVisibility(1)"));

        // What the page shows is what the API says, and what the API says is what was reported (10 days × (t + 1) errors).
        var overview = (await api.GetFromJsonAsync<JsonNode>($"{org.Path}/dashboard/overview?period=30d"))!["types"]!.AsArray();
        var change = (await api.GetFromJsonAsync<JsonNode>($"{org.Path}/dashboard/change?period=30d"))!["types"]!.AsArray();
        for (var t = 0; t < types.Length; t++)
        {
            var failures = (long)overview.Single(x => (string)x!["type"]! == types[t])!["failures"]!;
            Assert.Equal(10 * (t + 1), failures);
            Assert.Equal(failures.ToString(CultureInfo.InvariantCulture), await page.Locator($"#donut-legend li[data-type='{types[t]}'] .count").InnerTextAsync());
            var row = change.Single(x => (string)x!["type"]! == types[t])!;
            Assert.Equal(((long)row["failed"]!).ToString(CultureInfo.InvariantCulture), await page.Locator($".change[data-type='{types[t]}'] .failed").InnerTextAsync());
            Assert.Equal(((long)row["succeeded"]!).ToString(CultureInfo.InvariantCulture), await page.Locator($".change[data-type='{types[t]}'] .succeeded").InnerTextAsync());
        }
        Assert.Equal("new", await page.Locator(".change[data-type='custom_event'] .new").InnerTextAsync()); // nothing in the 30 days before

        // The failures table opens a failure's detail with the catalog's guidance.
        await page.ClickAsync("nav a[data-page='failures']");
        await ReadyAsync(page, "failures");
        await ShootAsync(page, "failures");
        await page.Locator("#failures-table tbody tr").First.ClickAsync();
        await page.WaitForSelectorAsync("#failure-detail");
        Assert.False(string.IsNullOrWhiteSpace(await page.Locator("#guidance").InnerTextAsync()));
        await ShootAsync(page, "failure-detail");
        // An admin resolves it from there; the API records who.
        await page.ClickAsync("#resolve");
        await page.WaitForSelectorAsync("#failure-status:text('resolved')");
        var resolved = (await api.GetFromJsonAsync<JsonNode>($"{org.Path}/errors?status=resolved"))!["items"]!.AsArray();
        Assert.Contains(resolved, e => (string?)e!["resolved_by"] == "dev");

        // A threshold changed and saved: the API has it, and the page shows it after a reload.
        await page.ClickAsync("nav a[data-page='thresholds']");
        await ReadyAsync(page, "thresholds");
        await page.FillAsync("#outgoing_integrations-limit", "7");
        await page.SelectOptionAsync("#outgoing_integrations-interval", "3h");
        await page.ClickAsync("#save-thresholds");
        await page.WaitForSelectorAsync("#threshold-status.ok");
        var saved = (await api.GetFromJsonAsync<JsonNode>(org.Path))!["settings"]!["integration_notifications"]!["outgoing_integrations"]!;
        Assert.Equal((7, "3h"), ((int)saved["failure_limit"]!, (string)saved["failure_interval"]!));
        await page.ReloadAsync();
        await ReadyAsync(page, "thresholds");
        Assert.Equal("7", await page.InputValueAsync("#outgoing_integrations-limit"));
        await ShootAsync(page, "thresholds");

        // The in-app badge counts the disable notice; the disabled webhook is enabled again from its page.
        await page.WaitForSelectorAsync("#badge:not([hidden])");
        Assert.Equal("1", await page.InnerTextAsync("#badge"));
        _receiver.Script("/down", _ => new WebhookReceiver.Answer(200));
        await page.ClickAsync("nav a[data-page='webhooks']");
        await ReadyAsync(page, "webhooks");
        Assert.Equal("disabled", await page.Locator("#webhooks-table .status-disabled").InnerTextAsync());
        await ShootAsync(page, "webhooks-disabled");

        // Ticked to keep events while disabled: one published now is held, not attempted, and goes when it is enabled.
        await page.CheckAsync("#webhooks-table input.keep");
        await Eventually.TrueAsync(async () => (await api.GetFromJsonAsync<JsonNode>($"{org.Path}/webhooks"))!["items"]![0]!["keep_while_disabled"]!.GetValue<bool>(),
            "the option was saved", TimeSpan.FromSeconds(10));
        using (var published = await api.PostAsJsonAsync($"{org.Path}/platform-events", new { event_type = "integration_created", id = "browser-held", integration_id = 1, integration_name = "Integration 1" }))
            Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        await page.ReloadAsync();
        await ReadyAsync(page, "webhooks");
        Assert.Equal("disabled · 1 held", await page.Locator("#webhooks-table .status-disabled").InnerTextAsync());
        Assert.True(await page.IsCheckedAsync("#webhooks-table input.keep"));
        Assert.DoesNotContain(_receiver.At("/down"), r => r.Headers["webhook-id"] == "msg_browser-held");
        await page.ClickAsync("#webhooks-table button.enable");
        await page.WaitForSelectorAsync("#webhooks-table .status-enabled");
        Assert.Equal("0", await page.Locator("#webhooks-table .streak").InnerTextAsync());
        Assert.True((await api.GetFromJsonAsync<JsonNode>($"{org.Path}/webhooks"))!["items"]![0]!["enabled"]!.GetValue<bool>());
        await ShootAsync(page, "webhooks");
        await Eventually.TrueAsync(() => _receiver.At("/down").Any(r => r.Headers["webhook-id"] == "msg_browser-held"), "the held event went on enable", TimeSpan.FromSeconds(30));

        // From its delivery log, a recovery since yesterday: the failed message was waiting, then delivered — nothing to send again.
        await page.ClickAsync("#webhooks-table button.delivery-log");
        Assert.Matches(@"^Last 24 h: \d+ attempts, [\d.]+% delivered, p50 \d+ ms, p99 \d+ ms\. Last delivery: ", await page.InnerTextAsync("#webhook-health"));
        await page.ClickAsync("#recover");
        await page.WaitForSelectorAsync("#recover-outcome:has-text('queued again')");
        Assert.Equal("0 message(s) queued again.", await page.InnerTextAsync("#recover-outcome"));
        await ShootAsync(page, "webhook-recover");

        // Why was dev not alerted? The outgoing errors fired an alert dev is not subscribed to; dev sends themself a test.
        await page.ClickAsync("nav a[data-page='decisions']");
        await ReadyAsync(page, "decisions");
        await page.FillAsync("#decisions-user", "dev");
        await page.ClickAsync("#explain");
        await page.WaitForSelectorAsync("#decisions-table tr[data-outcome='fired'] td.for-user");
        Assert.Contains("dev is not subscribed to outgoing_integration__error",
            await page.InnerTextAsync("#decisions-table tr[data-outcome='fired'] td.for-user"));
        Assert.StartsWith("Alert sent: ", await page.InnerTextAsync("#decisions-table tr[data-outcome='fired'] td.summary"));
        await page.ClickAsync("#send-test");
        await page.WaitForSelectorAsync("#test-outcome:has-text('on its way')");
        await ShootAsync(page, "decisions");
        await Eventually.TrueAsync(async () => (await _stack.Inbox.MessagesToAsync(org.Domain)).Any(m => m.Subject == "[Test] Alerts can reach you" && m.To.Contains($"dev@{org.Domain}")),
            "the test notification reached dev", TimeSpan.FromSeconds(30));

        // A mute for the next hour, then ended early: the table says who and when.
        await page.ClickAsync("nav a[data-page='mutes']");
        await ReadyAsync(page, "mutes");
        await page.FillAsync("#mute-scope", "incoming");
        await page.FillAsync("#mute-hours", "1");
        await page.FillAsync("#mute-reason", "Browser test migration");
        await page.FillAsync("#mute-by", "dev");
        await page.ClickAsync("#mute-create");
        await page.WaitForSelectorAsync("#mutes-table .mute-state:has-text('muted until')");
        Assert.Equal("incoming", await page.InnerTextAsync("#mutes-table tr[data-id] td:first-child"));
        await ShootAsync(page, "mutes");
        // Edited: the end moved to the next day at 09:00 (this browser's local time), then ended early.
        var newEnd = DateTime.Today.AddDays(1).AddHours(9);
        await page.FillAsync("#mute-by", "dev");
        await page.FillAsync("#mutes-table input.mute-ends", newEnd.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await page.ClickAsync("#mutes-table button.move-end");
        await Eventually.TrueAsync(async () => (await api.GetFromJsonAsync<JsonNode>($"{org.Path}/mutes"))!["items"]![0]!["audit"]!.AsArray().Count == 2,
            "the change was saved", TimeSpan.FromSeconds(10));
        var edited = (await api.GetFromJsonAsync<JsonNode>($"{org.Path}/mutes"))!["items"]![0]!;
        Assert.Equal(("changed", "dev"), ((string)edited["audit"]![1]!["action"]!, (string)edited["audit"]![1]!["by"]!));
        await page.WaitForSelectorAsync("#mutes-table .mute-state:has-text('muted until')");
        await page.FillAsync("#mute-by", "dev");
        await page.ClickAsync("#mutes-table button.end-mute");
        await page.WaitForSelectorAsync("#mutes-table .mute-state:has-text('ended early by dev')");

        // A Slack target of dev's own, and a test sent to it: the receiver gets one Block Kit message.
        await page.ClickAsync("nav a[data-page='targets']");
        await ReadyAsync(page, "targets");
        await page.SelectOptionAsync("#target-type", "slack");
        await page.FillAsync("#target-url", _receiver.Url("/chat-dev/T1/B1/secret-token"));
        await page.FillAsync("#target-name", "dev chat");
        await page.FillAsync("#target-user", "dev");
        await page.ClickAsync("#target-create");
        await page.WaitForSelectorAsync("#targets-table tr[data-id] .target-state:has-text('enabled')");
        Assert.DoesNotContain("secret-token", await page.InnerTextAsync("#targets-table"));
        await page.ClickAsync("#targets-table button.test-target");
        await page.WaitForSelectorAsync("#target-outcome:has-text('on its way to dev chat')");
        var chat = Assert.Single(await _receiver.WaitForAsync("/chat-dev/T1/B1/secret-token", 1, TimeSpan.FromSeconds(30)));
        Assert.Empty(ChatSchemas.Slack(JsonNode.Parse(chat.Body)!));
        Assert.Contains("[Test] Alerts can reach you", chat.Body);
        await page.ReloadAsync();
        await ReadyAsync(page, "targets");
        await page.WaitForSelectorAsync("#targets-table .target-state:has-text('delivered')");
        await ShootAsync(page, "targets");

        foreach (var name in new[] { "users", "connections", "notifications", "inbox" })
        {
            await page.ClickAsync($"nav a[data-page='{name}']");
            await ReadyAsync(page, name);
            await ShootAsync(page, name);
        }
        Assert.Contains("disabled", await page.InnerTextAsync("main"));
        Assert.True(File.Exists(Path.Combine(Screenshots, "dashboard.png")));

        // The API reference renders under its own policy (its inline bootstrap allowed by hash, nothing else inline).
        await page.GotoAsync($"{baseUrl}/reference/");
        try
        {
            // The sidebar lists every tag of the document once Scalar has read it.
            await page.GetByText("Platform events").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"the reference did not render; the browser logged: {string.Join(" | ", _console)}", exception);
        }
        await ShootAsync(page, "reference");
        // Every page ran under its Content-Security-Policy without the browser refusing anything.
        Assert.DoesNotContain(_console, line => line.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }
}
