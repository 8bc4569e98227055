using System.Diagnostics;
using System.Text.Json;
using Alerts.Contracts;
using Alerts.Grains.Webhooks;
using Alerts.Grains.Stores;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>
/// Webhook subscriptions on the test cluster (SPEC §5, §6): dispatch, signing, the breaker and its notices, the durable
/// retry schedule on Alerts' clock, recovery, and the SSRF guard at registration. Receivers are scripted per host.
/// </summary>
[Collection(ClusterTests.Name)]
public sealed class WebhookDeliveryTests(ClusterFixture fixture)
{
    private static ScriptedWebhookReceiver Receiver => ClusterFixture.Webhooks;

    private sealed record Setup(OrgScenario Org, string Host, string WebhookId, string Secret, string OwnerEmail)
    {
        public IWebhookSubscriptionGrain Webhook => Org.Grains.GetWebhook(Org.OrgId, WebhookId);
        public IWebhookRegistryGrain Registry => Org.Grains.GetWebhookRegistry(Org.OrgId);
        public IUserInboxGrain OwnerInbox => Org.Grains.GetInbox(Org.OrgId, "owner");
    }

    private async Task<Setup> CreateAsync(params string[] events)
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var email = await org.AddUserAsync("owner");
        var host = $"{org.OrgId}.receiver.example";
        var created = await fixture.Grains.GetWebhookRegistry(org.OrgId).CreateAsync(
            new WebhookSpec($"https://{host}/hooks", events.Length == 0 ? ["run_failed", "tenant_created"] : events, "alerts-tests", "owner"));
        Assert.NotNull(created);
        return new Setup(org, host, created.Webhook.Id, created.Secret, email);
    }

    private static RunFailed RunFailed(string? id = null) => PlatformEvents.RunFailed(id);

    [Fact]
    public async Task A_published_event_is_posted_signed_with_the_fields_of_its_type()
    {
        var setup = await CreateAsync();
        var result = await setup.Registry.PublishAsync(RunFailed("evt-1") with { Timestamp = new DateTimeOffset(2026, 11, 22, 9, 30, 0, TimeSpan.Zero) });

        Assert.NotNull(result);
        Assert.Equal([setup.WebhookId], result.Webhooks);
        await Eventually.TrueAsync(() => Receiver.ReceivedBy(setup.Host).Count == 1, "the receiver got the event");
        var request = Receiver.ReceivedBy(setup.Host)[0];
        Assert.Equal("msg_evt-1", request.MessageId);
        Assert.Equal(WebhookSignature.Sign(setup.Secret, request.MessageId, request.Timestamp, request.Body.Span), request.Signature);
        Assert.Equal(ClusterFixture.Clock.GetUtcNow().ToUnixTimeSeconds(), request.Timestamp);

        using var body = JsonDocument.Parse(request.Body);
        var names = body.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal([.. WebhookRules.CommonFields, .. WebhookRules.FieldsByType["run_failed"]], names);
        Assert.Equal("run_failed", body.RootElement.GetProperty("event_type").GetString());
        Assert.Equal("production", body.RootElement.GetProperty("environment").GetString());
        Assert.Equal(setup.Org.AccountId, body.RootElement.GetProperty("account_id").GetInt64());
        Assert.Equal($"Org {setup.Org.OrgId}", body.RootElement.GetProperty("account_name").GetString());
        Assert.Equal("2026-11-22T09:30:00Z", body.RootElement.GetProperty("timestamp").GetString());
        Assert.Equal("Tenant One", body.RootElement.GetProperty("tenant_name").GetString());
        Assert.Equal(5, body.RootElement.GetProperty("tenant_id").GetInt64());
        Assert.Equal(9, body.RootElement.GetProperty("integration_id").GetInt64());
        Assert.Equal(JsonValueKind.Number, body.RootElement.GetProperty("run_id").ValueKind);

        // Published again (the platform retrying): nothing new is sent.
        await setup.Registry.PublishAsync(RunFailed("evt-1"));
        await Task.Delay(200);
        Assert.Single(Receiver.ReceivedBy(setup.Host));
        var log = await setup.Webhook.DeliveriesAsync(10, null);
        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(log!.Items).Outcome);
    }

    [Fact]
    public async Task An_event_type_the_subscription_did_not_ask_for_is_not_sent()
    {
        var setup = await CreateAsync("tenant_created");
        var result = await setup.Registry.PublishAsync(RunFailed());
        Assert.Empty(result!.Webhooks);
        await Task.Delay(200);
        Assert.Empty(Receiver.ReceivedBy(setup.Host));
    }

    /// <summary>
    /// Waits for <paramref name="count"/> failed attempts of the one waiting message, moving the clock past each back-off
    /// (attempts already made by other messages counted in <paramref name="madeBefore"/>).
    /// </summary>
    private static async Task FailedAttemptsAsync(Setup setup, int count, int madeBefore = 0)
    {
        for (var i = 1; i <= count; i++)
        {
            if (i > 1) ClusterFixture.Clock.Advance(TimeSpan.FromHours(1));
            var made = madeBefore + i;
            await Eventually.TrueAsync(async () => (await setup.Webhook.DeliveriesAsync(200, null))!.Items.Count >= made, $"attempt {i} was made and logged");
        }
    }

    [Fact]
    public async Task Five_failures_and_a_success_leave_it_enabled_with_the_streak_at_zero_and_one_warning()
    {
        var setup = await CreateAsync();
        Receiver.Answer(setup.Host, 500);
        await setup.Registry.PublishAsync(RunFailed());
        await FailedAttemptsAsync(setup, 5);
        var failing = await setup.Webhook.GetAsync();
        Assert.True(failing!.Enabled);
        Assert.Equal(5, failing.ConsecutiveFailures);

        Receiver.Answer(setup.Host, 204);
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(1));
        await Eventually.TrueAsync(async () => (await setup.Webhook.GetAsync())!.ConsecutiveFailures == 0, "the sixth attempt succeeded");
        var view = await setup.Webhook.GetAsync();
        Assert.True(view!.Enabled);
        Assert.Equal(0, view.PendingDeliveries);

        // Warned once, at the third failure: e-mail and in-app.
        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(setup.OwnerEmail).Count == 1, "the owner was warned");
        Assert.Contains("is failing", ClusterFixture.Emails.SentTo(setup.OwnerEmail)[0].Content.Subject);
        var inbox = await setup.OwnerInbox.ListAsync(false);
        Assert.Equal("webhook_failing", Assert.Single(inbox.Items).Kind);
        Assert.Equal(1, inbox.UnreadCount);
    }

    [Fact]
    public async Task Six_failures_disable_it_tell_the_owner_and_keep_new_events_away_until_it_is_enabled()
    {
        var setup = await CreateAsync();
        Receiver.Answer(setup.Host, _ => new WebhookResponse(null, TimeSpan.FromSeconds(15), "timed out", null, null));
        await setup.Registry.PublishAsync(RunFailed());
        await FailedAttemptsAsync(setup, 6);

        var disabled = await setup.Webhook.GetAsync();
        Assert.False(disabled!.Enabled);
        Assert.Equal(6, disabled.ConsecutiveFailures);
        Assert.Equal("timed out", disabled.DisabledReason);
        Assert.Equal(ClusterFixture.Clock.GetUtcNow(), disabled.DisabledAt);

        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(setup.OwnerEmail).Any(m => m.Content.Subject.Contains("disabled")), "the owner was told");
        var mail = ClusterFixture.Emails.SentTo(setup.OwnerEmail).Single(m => m.Content.Subject.Contains("disabled"));
        Assert.Contains($"https://{setup.Host}/hooks", mail.Content.Text);
        Assert.Contains($"/orgs/{setup.Org.OrgId}/webhooks/{setup.WebhookId}", mail.Content.Text);
        await Eventually.TrueAsync(async () => (await setup.OwnerInbox.ListAsync(false)).Items.Any(i => i.Kind == "webhook_disabled"), "in-app notice");
        var inbox = await setup.OwnerInbox.ListAsync(false);
        Assert.Equal(1, inbox.UnreadCount); // the disable supersedes the earlier warning about the same webhook
        Assert.Equal("webhook_disabled", inbox.Items[0].Kind);

        // New events are left out of dispatch.
        var before = Receiver.ReceivedBy(setup.Host).Count;
        var result = await setup.Registry.PublishAsync(RunFailed());
        Assert.Empty(result!.Webhooks);

        // Enabled again: streak 0, new events delivered, and the owner hears it delivers again.
        Receiver.Answer(setup.Host, 200);
        var enabled = await setup.Webhook.EnableAsync();
        Assert.True(enabled!.Enabled);
        Assert.Equal(0, enabled.ConsecutiveFailures);
        Assert.Null(enabled.DisabledReason);
        var again = await setup.Registry.PublishAsync(RunFailed());
        Assert.Equal([setup.WebhookId], again!.Webhooks);
        await Eventually.TrueAsync(() => Receiver.ReceivedBy(setup.Host).Any(r => r.MessageId == again.MessageId), "delivered after enable");
        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(setup.OwnerEmail).Any(m => m.Content.Subject.Contains("delivers again")), "recovery told");
    }

    [Fact]
    public async Task A_new_url_enables_it_again_with_the_streak_at_zero()
    {
        var setup = await CreateAsync();
        Receiver.Answer(setup.Host, 410);
        await setup.Registry.PublishAsync(RunFailed());
        await FailedAttemptsAsync(setup, 6);
        Assert.False((await setup.Webhook.GetAsync())!.Enabled);

        var moved = await setup.Webhook.UpdateAsync(new WebhookPatch(Url: $"https://new-{setup.Host}/hooks"));
        Assert.True(moved!.Enabled);
        Assert.Equal(0, moved.ConsecutiveFailures);
        Assert.Equal($"https://new-{setup.Host}/hooks", moved.Url);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_not_attempted_again_before_it()
    {
        var setup = await CreateAsync();
        Receiver.Answer(setup.Host, 429, retryAfter: "600");
        await setup.Registry.PublishAsync(RunFailed());
        await Eventually.TrueAsync(async () => (await setup.Webhook.DeliveriesAsync(10, null))!.Items.Count == 1, "first attempt logged");
        var attempt = (await setup.Webhook.DeliveriesAsync(10, null))!.Items[0];
        Assert.Equal(429, attempt.StatusCode);
        Assert.Equal(ClusterFixture.Clock.GetUtcNow() + TimeSpan.FromSeconds(600), attempt.NextAttemptAt);

        // The receiver asked the whole subscription to wait: a new event waits too.
        Receiver.Answer(setup.Host, 200);
        var second = await setup.Registry.PublishAsync(RunFailed());
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(599));
        await Task.Delay(300);
        Assert.Single(Receiver.ReceivedBy(setup.Host));
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => Receiver.ReceivedBy(setup.Host).Any(r => r.MessageId == second!.MessageId), "both went once Retry-After passed");
        Assert.Equal(3, Receiver.ReceivedBy(setup.Host).Count);
    }

    [Fact]
    public async Task A_receiver_that_recovers_gets_the_waiting_deliveries_within_a_minute_in_order()
    {
        // Down for five attempts: the message's next retry is about 8 minutes away; three more events wait behind the pause.
        var setup = await CreateAsync();
        Receiver.Answer(setup.Host, 503);
        var first = await setup.Registry.PublishAsync(RunFailed());
        await FailedAttemptsAsync(setup, 5);
        var waiting = new List<string>();
        for (var i = 0; i < 3; i++) waiting.Add((await setup.Registry.PublishAsync(RunFailed()))!.MessageId);
        Assert.Equal(4, (await setup.Webhook.GetAsync())!.PendingDeliveries);
        Assert.Equal(5, Receiver.ReceivedBy(setup.Host).Count); // paused after the failure: nothing sent meanwhile

        // The receiver comes back 30 s later; 31 s after that the pause is over, the oldest new event goes and gets a 2xx,
        // and everything else waiting follows at once, oldest first: not after its own back-off of minutes.
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(30));
        Receiver.Answer(setup.Host, 200);
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(31));
        await Eventually.TrueAsync(() => Receiver.ReceivedBy(setup.Host).Any(r => r.MessageId == waiting[0]), "the first waiting event went");
        for (var i = 0; i < 3; i++)
        {
            ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(100);
        }
        await Eventually.TrueAsync(async () => (await setup.Webhook.GetAsync())!.PendingDeliveries == 0, "every waiting message was delivered");
        // In the order the receiver got them (the log's times are all the same instant of the test's clock).
        Assert.Equal([waiting[0], first!.MessageId, waiting[1], waiting[2]], Receiver.ReceivedBy(setup.Host).Skip(5).Select(r => r.MessageId));
        Assert.True((await setup.Webhook.GetAsync())!.Enabled);
    }

    [Fact]
    public async Task A_burst_of_events_during_a_short_outage_costs_one_failure_not_a_disable()
    {
        var setup = await CreateAsync();
        Receiver.Answer(setup.Host, 502);
        var published = new List<string>();
        for (var i = 0; i < 8; i++) published.Add((await setup.Registry.PublishAsync(RunFailed()))!.MessageId);
        await Eventually.TrueAsync(async () => (await setup.Webhook.DeliveriesAsync(10, null))!.Items.Count == 1, "the first attempt failed");
        await Task.Delay(200);
        var view = await setup.Webhook.GetAsync();
        Assert.Single(Receiver.ReceivedBy(setup.Host));
        Assert.Equal(1, view!.ConsecutiveFailures);
        Assert.True(view.Enabled);

        Receiver.Answer(setup.Host, 200);
        for (var i = 0; i < 12; i++)
        {
            ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(100);
        }
        await Eventually.TrueAsync(async () => (await setup.Webhook.GetAsync())!.PendingDeliveries == 0, "all delivered");
        Assert.Equal(published, Receiver.ReceivedBy(setup.Host).Skip(1).Select(r => r.MessageId));
        Assert.Equal(0, (await setup.Webhook.GetAsync())!.ConsecutiveFailures);
    }

    [Fact]
    public async Task A_waiting_retry_survives_the_subscription_being_deactivated()
    {
        var setup = await CreateAsync();
        Receiver.Answer(setup.Host, 500);
        await setup.Registry.PublishAsync(RunFailed());
        await FailedAttemptsAsync(setup, 1);
        Assert.NotNull(await fixture.ReminderAsync(setup.Webhook, "webhook-wake-up"));

        await fixture.DeactivateIdleAsync();
        Receiver.Answer(setup.Host, 200);
        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(2));
        await ClusterFixture.TickAsync(setup.Webhook, "webhook-wake-up"); // the reminder service activates it again
        await Eventually.TrueAsync(() => Receiver.ReceivedBy(setup.Host).Count == 2, "the retry was made after reactivation");
        await Eventually.TrueAsync(async () => (await setup.Webhook.GetAsync())!.PendingDeliveries == 0, "delivered");
        await Eventually.TrueAsync(async () => await fixture.ReminderAsync(setup.Webhook, "webhook-wake-up") is null, "nothing waits: reminder gone");
    }

    [Fact]
    public async Task A_message_failing_for_three_days_is_exhausted_and_can_be_resent_by_hand()
    {
        var setup = await CreateAsync();
        Receiver.Answer(setup.Host, 500);
        var published = await setup.Registry.PublishAsync(RunFailed());
        await FailedAttemptsAsync(setup, 1);
        for (var day = 0; day < 4; day++)
        {
            ClusterFixture.Clock.Advance(TimeSpan.FromHours(25));
            await Task.Delay(150);
        }
        await Eventually.TrueAsync(async () => (await setup.Webhook.GetAsync())!.PendingDeliveries == 0, "exhausted");
        var log = (await setup.Webhook.DeliveriesAsync(100, null))!.Items;
        Assert.Equal(DeliveryOutcome.Exhausted, log[0].Outcome);
        Assert.All(log.Skip(1), a => Assert.Equal(DeliveryOutcome.Failed, a.Outcome));

        Receiver.Answer(setup.Host, 200);
        Assert.True(await setup.Webhook.ResendAsync(published!.MessageId));
        await Eventually.TrueAsync(async () => (await setup.Webhook.DeliveriesAsync(1, null))!.Items[0].Outcome == DeliveryOutcome.Delivered, "resent");
        Assert.False(await setup.Webhook.ResendAsync("msg_unknown"));
    }

    [Fact]
    public async Task A_recovery_sends_again_oldest_first_what_ran_out_of_retries_and_nothing_twice()
    {
        var setup = await CreateAsync();
        var since = ClusterFixture.Clock.GetUtcNow();
        Receiver.Answer(setup.Host, 500);
        var published = new List<string>();
        for (var i = 0; i < 3; i++) published.Add((await setup.Registry.PublishAsync(RunFailed()))!.MessageId);
        await FailedAttemptsAsync(setup, 1);
        for (var day = 0; day < 4; day++)
        {
            ClusterFixture.Clock.Advance(TimeSpan.FromHours(25));
            await Task.Delay(150);
        }
        // They are sent one at a time, each until its three days are over: move Alerts' clock on a day at a time.
        await Eventually.TrueAsync(async () =>
        {
            ClusterFixture.Clock.Advance(TimeSpan.FromHours(25));
            await Task.Delay(100);
            return (await setup.Webhook.GetAsync())!.PendingDeliveries == 0;
        }, "all three exhausted", TimeSpan.FromSeconds(30));
        Assert.Equal(3, (await setup.Webhook.DeliveriesAsync(100, null))!.Items.Count(a => a.Outcome == DeliveryOutcome.Exhausted));

        // The receiver is fixed (and the subscription enabled again if its breaker tripped): recover since before them.
        Receiver.Answer(setup.Host, 200);
        await setup.Webhook.EnableAsync();
        var before = Receiver.ReceivedBy(setup.Host).Count;
        Assert.Equal(new RecoveryResult(3, 0, false), await setup.Webhook.RecoverAsync(since));
        await Eventually.TrueAsync(() => Receiver.ReceivedBy(setup.Host).Count == before + 3, "the three were sent again");
        Assert.Equal(published, Receiver.ReceivedBy(setup.Host).Skip(before).Select(request => request.MessageId));

        // Delivered now: a second recovery finds nothing; an unknown subscription has nothing to recover.
        await Eventually.TrueAsync(async () => (await setup.Webhook.GetAsync())!.PendingDeliveries == 0, "delivered");
        Assert.Equal(new RecoveryResult(0, 0, false), await setup.Webhook.RecoverAsync(since));
        Assert.Null(await fixture.Grains.GetWebhook(setup.Org.OrgId, "wh-none").RecoverAsync(since));
    }

    [Fact]
    public async Task A_published_event_is_traced_from_its_caller_to_each_webhook_attempt_even_a_retry_after_reactivation()
    {
        using var capture = new TraceCapture();
        var setup = await CreateAsync();
        Receiver.Answer(setup.Host, 500);
        ActivityTraceId traceId;
        ActivitySpanId requestSpan;
        using (var request = TraceCapture.StartRequest())
        {
            (traceId, requestSpan) = (request.TraceId, request.SpanId);
            await setup.Registry.PublishAsync(RunFailed());
        }
        await FailedAttemptsAsync(setup, 1);

        // The retry is made by a new activation that the reminder woke: only the stored traceparent links it.
        await fixture.DeactivateIdleAsync();
        ActivityTraceId? sentUnder = null;
        Receiver.Answer(setup.Host, _ =>
        {
            // What the HTTP sender runs under: its request carries this trace to the receiver (traceparent).
            sentUnder = Activity.Current?.TraceId;
            return ScriptedWebhookReceiver.Status(200);
        });
        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(2));
        await ClusterFixture.TickAsync(setup.Webhook, "webhook-wake-up");
        await Eventually.TrueAsync(() => capture.Trace(traceId).Count(s => s.OperationName == "alerts.webhook.attempt") == 2, "both attempts were traced");

        Assert.Equal(traceId, sentUnder);
        var trace = capture.Trace(traceId);
        var attempts = trace.Where(s => s.OperationName == "alerts.webhook.attempt").OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal([500, 200], attempts.Select(a => a.GetTagItem("http.response.status_code")));
        Assert.All(attempts, a => Assert.Equal(setup.WebhookId, a.GetTagItem("alerts.webhook")));
        // The retry hangs from the span that queued the message, under the grain call the caller's request made.
        Assert.Equal(attempts[0].ParentSpanId, attempts[1].ParentSpanId);
        var above = TraceCapture.Ancestry(trace, attempts[1]);
        Assert.Contains(above, s => s.Kind == ActivityKind.Server && s.OperationName.Contains("WebhookDelivery", StringComparison.Ordinal));
        Assert.Equal(requestSpan, above[^1].ParentSpanId);
    }

    [Fact]
    public async Task A_hanging_receiver_lets_at_most_MaxPending_messages_wait_and_the_state_stays_under_its_bound()
    {
        var setup = await CreateAsync();
        var gate = Receiver.Hold(setup.Host);
        var published = new List<string>();
        // Published under a trace, so each waiting message also keeps its traceparent: the bound's worst case.
        using (new TraceCapture())
        using (TraceCapture.StartRequest())
        {
            for (var i = 0; i < 1_050; i++) published.Add((await setup.Registry.PublishAsync(RunFailed()))!.MessageId);
        }
        Assert.Equal(1_000, (await setup.Webhook.GetAsync())!.PendingDeliveries);

        // The oldest waiting ones were dropped (logged), not the one in flight; the rest go once the receiver answers.
        gate.SetResult();
        await Eventually.TrueAsync(async () => (await setup.Webhook.GetAsync())!.PendingDeliveries == 0, "everything waiting was delivered", TimeSpan.FromSeconds(30));
        var log = new List<DeliveryAttempt>();
        string? cursor = null;
        do
        {
            var page = (await setup.Webhook.DeliveriesAsync(200, cursor))!;
            log.AddRange(page.Items);
            cursor = page.Next;
        } while (cursor is not null);
        Assert.Equal(50, log.Count(a => a.Outcome == DeliveryOutcome.Dropped));
        Assert.Equal(1_000, log.Count(a => a.Outcome == DeliveryOutcome.Delivered));
        Assert.Contains(log, a => a.MessageId == published[1] && a.Outcome == DeliveryOutcome.Dropped);
        Assert.Contains(log, a => a.MessageId == published[0] && a.Outcome == DeliveryOutcome.Delivered);
        Assert.Contains(log, a => a.MessageId == published[^1] && a.Outcome == DeliveryOutcome.Delivered);

        var largest = SizeRecordingGrainStorage.LargestFor($"{setup.Org.OrgId}/{setup.WebhookId}");
        Assert.InRange(largest["webhook"], 1, 300 * 1024);
    }

    [Fact]
    public async Task The_delivery_log_forgets_what_is_older_than_its_retention()
    {
        var setup = await CreateAsync();
        var old = await setup.Registry.PublishAsync(RunFailed());
        await Eventually.TrueAsync(async () => (await setup.Webhook.DeliveriesAsync(10, null))!.Items.Count == 1, "the first message was delivered");
        ClusterFixture.Clock.Advance(TimeSpan.FromDays(31));
        var recent = await setup.Registry.PublishAsync(RunFailed());
        await Eventually.TrueAsync(async () => (await setup.Webhook.DeliveriesAsync(10, null))!.Items.All(a => a.MessageId == recent!.MessageId),
            "the month-old attempt left the log");
        Assert.False(await setup.Webhook.ResendAsync(old!.MessageId)); // its body is gone too
        Assert.True(await setup.Webhook.ResendAsync(recent!.MessageId));
    }

    [Fact]
    public async Task The_delivery_log_pages_newest_first()
    {
        var setup = await CreateAsync();
        for (var i = 0; i < 5; i++)
        {
            await setup.Registry.PublishAsync(RunFailed());
            ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        await Eventually.TrueAsync(async () => (await setup.Webhook.DeliveriesAsync(100, null))!.Items.Count == 5, "all delivered");
        var first = (await setup.Webhook.DeliveriesAsync(2, null))!;
        var second = (await setup.Webhook.DeliveriesAsync(2, first.Next))!;
        var third = (await setup.Webhook.DeliveriesAsync(2, second.Next))!;
        Assert.Null(third.Next);
        var times = first.Items.Concat(second.Items).Concat(third.Items).Select(a => a.At).ToList();
        Assert.Equal(5, times.Count);
        Assert.Equal(times.OrderDescending(), times);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://10.0.0.1/")]
    [InlineData("https://hooks.internal.test/x")]
    [InlineData("http://127.0.0.1:8080/")]
    [InlineData("ftp://example.com/x")]
    public async Task A_url_that_is_not_public_is_refused_at_registration(string url)
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        await org.AddUserAsync("owner");
        var refused = await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            fixture.Grains.GetWebhookRegistry(org.OrgId).CreateAsync(new WebhookSpec(url, ["run_failed"], null, "owner")));
        Assert.StartsWith("url ", refused.Message);
        Assert.Empty((await fixture.Grains.GetWebhookRegistry(org.OrgId).ListAsync())!);
    }

    [Fact]
    public async Task Platform_events_are_emailed_to_the_primary_contact_the_type_addresses_and_subscribed_users()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var profile = OrgScenario.Profile(org.OrgId, null, null) with { PrimaryContact = $"primary@{org.Domain}" };
        await org.Org.PutAsync(profile);
        var user = await org.AddUserAsync("runs", "run_failed");
        await org.AddUserAsync("other", "tenant_created");
        var registry = fixture.Grains.GetWebhookRegistry(org.OrgId);
        var settings = await registry.PutSettingsAsync(new NotificationSettings($"https://{org.OrgId}.platform.example/events",
            new Dictionary<string, PlatformEventSettings> { ["run_failed"] = new(true, [$"extra@{org.Domain}"]) }));
        Assert.Equal(WebhookRules.PlatformSubscriptionId, settings!.WebhookId);
        Assert.NotNull(settings.WebhookSecret);

        var result = await registry.PublishAsync(RunFailed());
        Assert.Equal([WebhookRules.PlatformSubscriptionId], result!.Webhooks);
        Assert.Equal(3, result.EmailRecipients);
        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(org.Domain).Count == 3, "three e-mails");
        Assert.Equal([$"extra@{org.Domain}", $"primary@{org.Domain}", user],
            ClusterFixture.Emails.SentTo(org.Domain).Select(m => m.To).Order(StringComparer.Ordinal));
        Assert.All(ClusterFixture.Emails.SentTo(org.Domain), m => Assert.Contains("Run failed: CRM push", m.Content.Subject));
        await Eventually.TrueAsync(() => Receiver.ReceivedBy($"{org.OrgId}.platform.example").Count == 1, "the platform webhook got it");

        // Its URL is the organization's: listed with the others, changed only through the settings.
        var listed = Assert.Single((await registry.ListAsync())!);
        Assert.True(listed.PlatformEvents);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => fixture.Grains.GetWebhook(org.OrgId, listed.Id).UpdateAsync(new WebhookPatch(Url: "https://elsewhere.example/")));

        // A type without send_webhook is e-mailed but not posted.
        var tenant = await registry.PublishAsync(new TenantCreated(TenantId: 2, TenantName: "Two", IntegrationId: 9, IntegrationName: "CRM push"));
        Assert.Empty(tenant!.Webhooks);
        Assert.Equal(2, tenant.EmailRecipients); // the primary contact and the user subscribed to tenant_created
    }

    [Fact]
    public async Task A_malformed_event_is_refused_naming_the_field()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var registry = fixture.Grains.GetWebhookRegistry(org.OrgId);
        var missing = await Assert.ThrowsAnyAsync<ArgumentException>(() => registry.PublishAsync(new IntegrationCreated(7, "")));
        Assert.StartsWith("integration_name ", missing.Message);
        var negative = await Assert.ThrowsAnyAsync<ArgumentException>(() => registry.PublishAsync(new IntegrationCreated(-7, "X")));
        Assert.StartsWith("integration_id ", negative.Message);
        var badLink = await Assert.ThrowsAnyAsync<ArgumentException>(() => registry.PublishAsync(RunFailed() with { ApiLink = "/runs/1" }));
        Assert.StartsWith("api_link ", badLink.Message);
        var otherAccount = await Assert.ThrowsAnyAsync<ArgumentException>(() => registry.PublishAsync(
            new IntegrationCreated(7, "X") { AccountId = org.AccountId + 1 }));
        Assert.StartsWith("account_id ", otherAccount.Message);
        Assert.NotNull(await registry.PublishAsync(new IntegrationCreated(7, "X") { AccountId = org.AccountId, Environment = "production" }));

        // An organization without an account_id publishes nothing: its deliveries could not carry the documented integer.
        await org.Org.PutAsync(OrgScenario.Profile(org.OrgId, null, null) with { AccountId = null });
        var noAccount = await Assert.ThrowsAnyAsync<ArgumentException>(() => registry.PublishAsync(new IntegrationCreated(7, "X")));
        Assert.StartsWith("account_id is not set", noAccount.Message);
        Assert.Contains("PUT /api/v1/orgs/", noAccount.Message);
    }
}
