using System.Text.Json.Nodes;
using Alerts.Contracts;
using Alerts.Grains.Webhooks;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>
/// Issue 22, item 1 on the test cluster: a user's delivery targets get what the user is subscribed to and a shared target
/// the events it follows, each once, laid out for its platform; a target failing six times in a row is disabled, its
/// owner is e-mailed, and nothing more is posted to it until it is enabled.
/// </summary>
[Collection(ClusterTests.Name)]
public sealed class DeliveryTargetsGrainTests(ClusterFixture fixture)
{
    private static readonly DirectionSettings ThreeInOneHour = new(3, FailureInterval.OneHour);

    private static ScriptedWebhookReceiver Receiver => ClusterFixture.Webhooks;

    private IDeliveryTargetsGrain Targets(OrgScenario org) => fixture.Grains.GetGrain<IDeliveryTargetsGrain>(org.OrgId);

    private static JsonNode Body(Alerts.Grains.Webhooks.WebhookRequest request) => JsonNode.Parse(request.Body.Span)!;

    [Fact]
    public async Task A_threshold_alert_reaches_the_users_slack_and_teams_targets_once_each_beside_the_email()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: ThreeInOneHour);
        var email = await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        await org.AddUserAsync("sales", NotificationEvents.IncomingWebhookError);
        var (slackHost, teamsHost, otherHost) = ($"{org.OrgId}.slack.example", $"{org.OrgId}.teams.example", $"{org.OrgId}.sales.example");
        var slack = await Targets(org).CreateAsync(new TargetSpec(TargetType.Slack, $"https://{slackHost}/services/T1/B1/secret", "ops channel", "ops", null));
        var teams = await Targets(org).CreateAsync(new TargetSpec(TargetType.Teams, $"https://{teamsHost}/workflows/abc?sig=secret", "ops team", "ops", null));
        await Targets(org).CreateAsync(new TargetSpec(TargetType.Slack, $"https://{otherHost}/services/x", "sales", "sales", null));
        Assert.Null(slack.Secret);
        Assert.Equal($"https://{teamsHost}/…", teams.Target.MaskedUrl);

        await org.ErrorsAsync(OrgScenario.Outgoing, 3);
        await Eventually.TrueAsync(async () => (await org.NotificationsAsync()).SingleOrDefault()?.Status == NotificationStatus.Sent, "the alert was sent");

        var alert = Assert.Single(await org.NotificationsAsync());
        Assert.Equal([email, $"slack {slack.Target.Id}", $"teams {teams.Target.Id}"], alert.Recipients.Order(StringComparer.Ordinal));
        Assert.Single(ClusterFixture.Emails.SentTo(email));
        var slackPost = Assert.Single(Receiver.ReceivedBy(slackHost));
        Assert.Empty(ChatSchemas.Slack(Body(slackPost)));
        Assert.Equal("Integration error threshold exceeded", (string)Body(slackPost)["text"]!);
        Assert.Equal("", slackPost.Signature); // chat webhooks are not signed: their URL is the credential
        var teamsPost = Assert.Single(Receiver.ReceivedBy(teamsHost));
        Assert.Empty(ChatSchemas.Teams(Body(teamsPost), teamsPost.Body.Length));
        Assert.Empty(Receiver.ReceivedBy(otherHost)); // sales is not subscribed to outgoing errors
        Assert.NotEqual(slackPost.MessageId, teamsPost.MessageId);

        var view = (await Targets(org).GetAsync(slack.Target.Id))!;
        Assert.Equal(ClusterFixture.Clock.GetUtcNow(), view.LastDeliveredAt);
    }

    [Fact]
    public async Task A_shared_target_gets_the_events_it_follows_and_a_webhook_target_is_signed_with_its_own_secret()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: ThreeInOneHour);
        await org.AddUserAsync("ops");
        await org.Org.PutConnectionAsync("db", new ConnectionProfile("Main DB", [OrgScenario.Outgoing]));
        var (connections, errors) = ($"{org.OrgId}.connections.example", $"{org.OrgId}.errors.example");
        var shared = await Targets(org).CreateAsync(new TargetSpec(TargetType.Webhook, $"https://{connections}/in", "on-call", null, [TargetRules.ConnectionsEvent]));
        await Targets(org).CreateAsync(new TargetSpec(TargetType.Slack, $"https://{errors}/in", "errors", null, [NotificationEvents.IncomingWebhookError]));

        await org.Org.SetConnectionStatusAsync("db", online: false);
        await Eventually.TrueAsync(() => Receiver.ReceivedBy(connections).Count >= 1, "the shared target got the connection notice");

        var post = Assert.Single(Receiver.ReceivedBy(connections));
        var body = Body(post);
        Assert.Empty(ChatSchemas.JsonTarget(body));
        Assert.Equal("alerts.connection_changed", (string)body["type"]!);
        Assert.Equal("Connection Main DB is offline", (string)body["data"]!["title"]!);
        Assert.Equal(WebhookSignature.Sign(shared.Secret!, post.MessageId, post.Timestamp, post.Body.ToArray()), post.Signature);
        Assert.Empty(Receiver.ReceivedBy(errors)); // follows incoming errors only
    }

    [Fact]
    public async Task Six_failures_in_a_row_disable_a_target_tell_its_owner_and_stop_posting_until_it_is_enabled()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var email = await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        var host = $"{org.OrgId}.gone.example";
        var target = (await Targets(org).CreateAsync(new TargetSpec(TargetType.Slack, $"https://{host}/services/gone", "old channel", "ops", null))).Target;
        Receiver.Answer(host, _ => new WebhookResponse(404, TimeSpan.FromMilliseconds(2), null, "no_service", null));

        for (var i = 1; i <= WebhookBreaker.DisableAt; i++)
        {
            ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(1)); // a test notification's id is its target and time
            var test = (await Targets(org).SendTestAsync(target.Id))!;
            var made = i;
            await Eventually.TrueAsync(async () => (await org.Org.GetNotificationAsync(test))?.Notification.Status == NotificationStatus.Failed, $"test {i} failed");
            Assert.Equal(made, Receiver.ReceivedBy(host).Count);
        }
        var failed = (await org.Org.GetNotificationAsync((await org.NotificationsAsync()).First(n => n.Kind == NotificationKind.Test).Id))!;
        Assert.Contains("HTTP 404: no_service", Assert.Single(failed.Recipients).Reply);

        var disabled = (await Targets(org).GetAsync(target.Id))!;
        Assert.False(disabled.Enabled);
        Assert.Equal(6, disabled.ConsecutiveFailures);
        Assert.Equal("HTTP 404: no_service", disabled.DisabledReason);
        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(email).Count >= 1, "the owner was told");
        var notice = Assert.Single(ClusterFixture.Emails.SentTo(email));
        Assert.Equal($"Slack target {target.Id} disabled", notice.Content.Subject);
        Assert.Contains($"https://{host}/…", notice.Content.Text);
        Assert.DoesNotContain("services/gone", notice.Content.Text);

        // Disabled: a threshold alert goes by e-mail only, and nothing is posted.
        await org.UpdateSettingsAsync(ThreeInOneHour);
        await org.ErrorsAsync(OrgScenario.Outgoing, 3);
        await Eventually.TrueAsync(async () => (await org.NotificationsAsync()).Any(n => n.Kind == NotificationKind.ThresholdExceeded && n.Status == NotificationStatus.Sent),
            "the alert was sent");
        Assert.Equal([email], (await org.NotificationsAsync()).Single(n => n.Kind == NotificationKind.ThresholdExceeded).Recipients);
        Assert.Equal(WebhookBreaker.DisableAt, Receiver.ReceivedBy(host).Count);

        // Enabled and answering again: posted to.
        Receiver.Answer(host, 200);
        Assert.True((await Targets(org).EnableAsync(target.Id))!.Enabled);
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var again = (await Targets(org).SendTestAsync(target.Id))!;
        await Eventually.TrueAsync(async () => (await org.Org.GetNotificationAsync(again))?.Notification.Status == NotificationStatus.Sent, "the test after enabling was sent");
        Assert.Equal(0, (await Targets(org).GetAsync(target.Id))!.ConsecutiveFailures);
    }

    [Fact]
    public async Task A_users_digest_reaches_their_target_with_what_their_email_says()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var ann = $"ann@{org.Domain}";
        await org.Org.PutUserAsync("ann", new UserProfile(ann, "Ann", UserRole.Monitor, [],
            new Subscriptions([new FlowSubscription(OrgScenario.Outgoing, "orders")], [], [])));
        await org.AddUserAsync("bob");
        var host = $"{org.OrgId}.digest.example";
        await Targets(org).CreateAsync(new TargetSpec(TargetType.Teams, $"https://{host}/ann", "ann's chat", "ann", null));
        await Targets(org).CreateAsync(new TargetSpec(TargetType.Teams, $"https://{host}/bob", "bob's chat", "bob", null));
        await org.RecordAsync(OrgScenario.Outgoing, new Attempt($"evt-{Guid.NewGuid():N}", AttemptOutcome.Error, null, 500, "orders o-1 failed", "orders", null, "o-1"));
        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(15));
        await fixture.Grains.GetGrain<Alerts.Grains.Organization.IDigestRound>(org.OrgId).RunDigestAsync();

        await Eventually.TrueAsync(() => Receiver.ReceivedBy(host).Count >= 1 && ClusterFixture.Emails.SentTo(ann).Count >= 1, "the digest went out");
        var post = Assert.Single(Receiver.ReceivedBy(host));
        Assert.EndsWith("/ann", post.Url, StringComparison.Ordinal); // bob follows nothing
        var card = Body(post);
        Assert.Empty(ChatSchemas.Teams(card, post.Body.Length));
        var texts = card.ToJsonString();
        Assert.Contains("Error digest: 1 new, 0 resolved, 1 still open", texts, StringComparison.Ordinal);
        Assert.Contains("orders o-1 failed", texts, StringComparison.Ordinal);
        Assert.Equal(ClusterFixture.Emails.SentTo(ann).Single().Content.Subject, (string)card["attachments"]![0]!["content"]!["body"]![0]!["text"]!);
    }

    [Fact]
    public async Task An_organization_at_its_quota_of_targets_as_large_as_they_get_stays_within_the_stated_bound()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var quota = new Alerts.Grains.QuotaOptions().Targets;
        for (var i = 0; i < quota; i++)
        {
            var url = $"https://{org.OrgId}.big.example/{i:D3}/" + new string('p', 2048 - $"https://{org.OrgId}.big.example/000/".Length);
            await Targets(org).CreateAsync(new TargetSpec(TargetType.Webhook, url, new string('n', 200), null, [.. TargetRules.SharedEvents]));
        }
        var refused = await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            Targets(org).CreateAsync(new TargetSpec(TargetType.Slack, "https://one.more.example/", "one more", null, ["connections"])));
        Assert.StartsWith("quota.targets ", refused.Message);

        // Each failing six times with a long reply: the reason it was disabled and its last error are kept, cut to 200 characters.
        var delivery = fixture.Grains.GetGrain<Alerts.Grains.Targets.ITargetDelivery>(org.OrgId);
        foreach (var target in await Targets(org).ListAsync(null))
        {
            for (var i = 0; i < WebhookBreaker.DisableAt; i++) await delivery.AttemptedAsync(target.Id, false, "HTTP 500: " + new string('e', 1_100), 500);
        }
        var disabled = await Targets(org).ListAsync(null);
        Assert.All(disabled, t => Assert.Equal((false, 200), (t.Enabled, t.DisabledReason!.Length)));

        // docs/architecture.md: ≤ 3 KB a target, so ≤ ~300 KiB at the highest quota (100; 50 by default).
        var stored = SizeRecordingGrainStorage.LargestFor(org.OrgId)["targets"];
        Assert.InRange(stored / quota, 2_048, 3_000);
    }

    [Fact]
    public async Task Bad_targets_are_refused_naming_the_field_and_a_deleted_user_takes_their_targets()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        await org.AddUserAsync("ops");
        async Task<string> RefusedAsync(TargetSpec spec) => (await Assert.ThrowsAnyAsync<ArgumentException>(() => Targets(org).CreateAsync(spec))).Message;

        Assert.StartsWith("url ", await RefusedAsync(new TargetSpec(TargetType.Slack, "ftp://x.example/", "x", "ops", null)));
        Assert.StartsWith("url ", await RefusedAsync(new TargetSpec(TargetType.Slack, "https://db.internal.test/hook", "x", "ops", null)));
        Assert.StartsWith("user_id ", await RefusedAsync(new TargetSpec(TargetType.Slack, "https://x.example/", "x", "nobody", null)));
        Assert.StartsWith("events ", await RefusedAsync(new TargetSpec(TargetType.Slack, "https://x.example/", "x", null, null)));
        Assert.StartsWith("events[1] ", await RefusedAsync(new TargetSpec(TargetType.Slack, "https://x.example/", "x", null, ["connections", "run_failed"])));
        Assert.StartsWith("events[2] ", await RefusedAsync(new TargetSpec(TargetType.Slack, "https://x.example/", "x", null, ["connections", "connections", "nope"])));
        Assert.StartsWith("events ", await RefusedAsync(new TargetSpec(TargetType.Slack, "https://x.example/", "x", "ops", ["connections"])));
        Assert.StartsWith("name ", await RefusedAsync(new TargetSpec(TargetType.Slack, "https://x.example/", " ", "ops", null)));
        for (var i = 0; i < TargetRules.MaxPerUser; i++)
            await Targets(org).CreateAsync(new TargetSpec(TargetType.Teams, $"https://x{i}.example/", $"t{i}", "ops", null));
        Assert.StartsWith("user_id ", await RefusedAsync(new TargetSpec(TargetType.Slack, "https://x.example/", "sixth", "ops", null)));
        Assert.Equal(TargetRules.MaxPerUser, (await Targets(org).ListAsync("ops")).Count);

        Assert.True(await org.Org.DeleteUserAsync("ops"));
        Assert.Empty(await Targets(org).ListAsync(null));
    }
}
