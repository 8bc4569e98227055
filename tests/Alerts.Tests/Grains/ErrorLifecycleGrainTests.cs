using Alerts.Contracts;
using Alerts.Grains.Organization;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>SPEC §3 and §4 on the test cluster: errors API, digests and connection notices, Alerts' clock under control.</summary>
[Collection(ClusterTests.Name)]
public sealed class ErrorLifecycleGrainTests(ClusterFixture fixture)
{
    private static Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => ClusterFixture.Clock;
    private int _events;

    private Attempt Error(string flow, string trace, bool retrying = false, int code = 500) =>
        new($"evt-{Guid.NewGuid():N}-{++_events}", AttemptOutcome.Error, null, code, $"{flow} {trace} failed", flow, null, trace, retrying);

    private Attempt Success(string flow, string trace) =>
        new($"evt-{Guid.NewGuid():N}-{++_events}", AttemptOutcome.Success, null, null, null, flow, null, trace);

    private static async Task<string> FollowAsync(OrgScenario org, string user, UserRole role = UserRole.Monitor,
        FlowSubscription[]? flows = null, string[]? integrations = null, string[]? connections = null)
    {
        var email = $"{user}@{org.Domain}";
        await org.Org.PutUserAsync(user, new UserProfile(email, user, role, [], new Subscriptions(flows ?? [], integrations ?? [], connections ?? [])));
        return email;
    }

    private Task DigestAsync(OrgScenario org) => fixture.Grains.GetGrain<IDigestRound>(org.OrgId).RunDigestAsync();

    private static async Task<IReadOnlyList<Alerts.Silo.Notify.Email.OutgoingEmail>> ToAsync(string address, int count)
    {
        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(address).Count >= count, $"{count} e-mail(s) reached {address}");
        return ClusterFixture.Emails.SentTo(address);
    }

    private static async Task<IReadOnlyList<ErrorView>> OpenAsync(OrgScenario org) =>
        (await org.Org.ListErrorsAsync(new ErrorQuery(ErrorStatus.Open))).Items;

    [Fact]
    public async Task Two_users_following_different_flows_get_different_digests()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var ann = await FollowAsync(org, "ann", flows: [new FlowSubscription(OrgScenario.Outgoing, "orders")]);
        var bob = await FollowAsync(org, "bob", flows: [new FlowSubscription(OrgScenario.Outgoing, "invoices")]);
        var cid = await FollowAsync(org, "cid", integrations: [OrgScenario.Outgoing]);

        await org.RecordAsync(OrgScenario.Outgoing, Error("orders", "o-1"), Error("orders", "o-1"), Error("invoices", "i-1"));
        Clock.Advance(TimeSpan.FromMinutes(15));
        await DigestAsync(org);

        var annDigest = Assert.Single(await ToAsync(ann, 1));
        Assert.Equal("Error digest: 1 new, 0 resolved, 1 still open", annDigest.Content.Subject);
        Assert.Contains("orders o-1 failed", annDigest.Content.Text);
        Assert.Contains("2 occurrences", annDigest.Content.Text);
        // The integration's type reaches the digest: the catalog's advice for a 500 on an outbound webhook.
        Assert.Contains($"What to do: {ErrorCatalog.Guidance(500, IntegrationType.OutboundWebhook)}", annDigest.Content.Text);
        Assert.DoesNotContain("invoices", annDigest.Content.Text);
        var bobDigest = Assert.Single(await ToAsync(bob, 1));
        Assert.Contains("invoices i-1 failed", bobDigest.Content.Text);
        Assert.DoesNotContain("orders", bobDigest.Content.Text);
        Assert.Equal("Error digest: 2 new, 0 resolved, 2 still open", Assert.Single(await ToAsync(cid, 1)).Content.Subject);
        var log = Assert.Single(await org.NotificationsAsync());
        Assert.Equal((NotificationKind.Digest, 3), (log.Kind, log.RecipientCount));
    }

    [Fact]
    public async Task Users_sharing_an_address_get_one_digest_of_everything_they_follow()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var team = $"team@{org.Domain}";
        await org.Org.PutUserAsync("ann", new UserProfile(team, "Ann", UserRole.Monitor, [],
            new Subscriptions([new FlowSubscription(OrgScenario.Outgoing, "orders")], [], [])));
        await org.Org.PutUserAsync("bob", new UserProfile(team, "Bob", UserRole.Monitor, [],
            new Subscriptions([new FlowSubscription(OrgScenario.Outgoing, "invoices")], [], [])));
        await org.RecordAsync(OrgScenario.Outgoing, Error("orders", "o-1"), Error("invoices", "i-1"));
        Clock.Advance(TimeSpan.FromMinutes(15));
        await DigestAsync(org);

        var digest = Assert.Single(await ToAsync(team, 1));
        Assert.Equal("Error digest: 2 new, 0 resolved, 2 still open", digest.Content.Subject);
        Assert.Contains("orders o-1 failed", digest.Content.Text);
        Assert.Contains("invoices i-1 failed", digest.Content.Text);
    }

    [Fact]
    public async Task A_resolved_error_is_in_the_next_digest_only_for_those_who_saw_it_open_and_nothing_changed_sends_nothing()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var admin = await FollowAsync(org, "admin", UserRole.Admin, flows: [new FlowSubscription(OrgScenario.Outgoing, "orders")]);
        await org.RecordAsync(OrgScenario.Outgoing, Error("orders", "o-1"));
        Clock.Advance(TimeSpan.FromMinutes(15));
        await DigestAsync(org);
        await ToAsync(admin, 1);

        // Dan follows the flow only now: he never heard of o-1.
        Clock.Advance(TimeSpan.FromMinutes(1));
        var dan = await FollowAsync(org, "dan", flows: [new FlowSubscription(OrgScenario.Outgoing, "orders")]);
        var error = Assert.Single(await OpenAsync(org));
        var resolved = await org.Org.ResolveErrorAsync(error.Id, "admin");
        Assert.Equal(ResolveStatus.Resolved, resolved.Status);
        Assert.Equal(("admin", ErrorResolution.Manual), (resolved.Error!.ResolvedBy, resolved.Error.Resolution!.Value));

        Clock.Advance(TimeSpan.FromMinutes(14));
        await DigestAsync(org);
        var second = (await ToAsync(admin, 2))[1];
        Assert.Equal("Error digest: 0 new, 1 resolved, 0 still open", second.Content.Subject);
        Assert.Contains("manual by admin", second.Content.Text);

        // Nothing changed since: no digest for anyone.
        Clock.Advance(TimeSpan.FromMinutes(15));
        await DigestAsync(org);
        await org.RecordAsync(OrgScenario.Incoming, Error("other", "x")); // nobody follows that integration
        Clock.Advance(TimeSpan.FromMinutes(15));
        await DigestAsync(org);
        Assert.Equal(2, (await org.NotificationsAsync()).Count);
        Assert.Equal(2, ClusterFixture.Emails.SentTo(admin).Count);
        Assert.Empty(ClusterFixture.Emails.SentTo(dan));
    }

    [Fact]
    public async Task Retrying_errors_resolved_within_the_window_are_never_told_and_the_others_open_when_it_closes()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var ann = await FollowAsync(org, "ann", integrations: [OrgScenario.Outgoing]);
        await org.RecordAsync(OrgScenario.Outgoing, Error("orders", "flaky", retrying: true), Error("orders", "stuck", retrying: true));
        Clock.Advance(TimeSpan.FromMinutes(2));
        await org.RecordAsync(OrgScenario.Outgoing, Success("orders", "flaky"));

        var retrying = (await org.Org.ListErrorsAsync(new ErrorQuery(ErrorStatus.Retrying))).Items;
        Assert.Equal("stuck", Assert.Single(retrying).TraceKey);
        var silent = Assert.Single((await org.Org.ListErrorsAsync(new ErrorQuery(ErrorStatus.Resolved))).Items);
        Assert.Equal(("flaky", ErrorResolution.RetrySucceeded), (silent.TraceKey, silent.Resolution!.Value));

        // No report arrives any more; the round itself closes the window: nothing stays retrying.
        Clock.Advance(TimeSpan.FromMinutes(13));
        await DigestAsync(org);
        var digest = Assert.Single(await ToAsync(ann, 1));
        Assert.Equal("Error digest: 1 new, 0 resolved, 1 still open", digest.Content.Subject);
        Assert.Contains("stuck", digest.Content.Text);
        Assert.DoesNotContain("flaky", digest.Content.Text);
        Assert.Empty((await org.Org.ListErrorsAsync(new ErrorQuery(ErrorStatus.Retrying))).Items);
    }

    [Fact]
    public async Task The_errors_api_pages_filters_and_lets_only_admins_resolve()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        await FollowAsync(org, "admin", UserRole.Admin);
        await FollowAsync(org, "watcher");
        for (var i = 0; i < 7; i++)
        {
            await org.RecordAsync(OrgScenario.Outgoing, Error(i % 2 == 0 ? "orders" : "invoices", $"k-{i}"));
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var seen = new List<ErrorView>();
        string? cursor = null;
        do
        {
            var page = await org.Org.ListErrorsAsync(new ErrorQuery(ErrorStatus.Open, Limit: 3, Cursor: cursor));
            Assert.True(page.Items.Count <= 3);
            seen.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null);
        Assert.Equal(Enumerable.Range(0, 7).Reverse().Select(i => $"k-{i}"), seen.Select(e => e.TraceKey)); // latest first, each once
        Assert.Equal(4, (await org.Org.ListErrorsAsync(new ErrorQuery(Flow: "orders"))).Items.Count);
        Assert.Empty((await org.Org.ListErrorsAsync(new ErrorQuery(IntegrationId: OrgScenario.Incoming))).Items);

        var target = seen[0].Id;
        Assert.Equal(ResolveStatus.NotAdmin, (await org.Org.ResolveErrorAsync(target, "watcher")).Status);
        Assert.Equal(ResolveStatus.NoSuchUser, (await org.Org.ResolveErrorAsync(target, "nobody")).Status);
        Assert.Equal(ResolveStatus.NoSuchError, (await org.Org.ResolveErrorAsync($"{OrgScenario.Outgoing}:999", "admin")).Status);
        Assert.Equal(ResolveStatus.Resolved, (await org.Org.ResolveErrorAsync(target, "admin")).Status);
        Assert.Equal(ResolveStatus.AlreadyResolved, (await org.Org.ResolveErrorAsync(target, "admin")).Status);
        Assert.Equal(6, (await OpenAsync(org)).Count);

        // Resolved by hand is durable: it survives the integration's deactivation.
        await fixture.DeactivateIdleAsync();
        Assert.Equal(6, (await OpenAsync(org)).Count);
    }

    [Fact]
    public async Task A_connection_offline_then_online_is_told_to_its_followers_only_once_each_way()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        await org.Org.PutConnectionAsync("db", new ConnectionProfile("Main DB", [OrgScenario.Outgoing]));
        await org.Org.PutConnectionAsync("queue", new ConnectionProfile("Queue", []));
        var ann = await FollowAsync(org, "ann", connections: ["db"]);
        var bob = await FollowAsync(org, "bob", connections: ["queue"]);

        var offlineAt = Clock.GetUtcNow();
        await org.Org.SetConnectionStatusAsync("db", online: false);
        var offline = Assert.Single(await ToAsync(ann, 1));
        Assert.Equal("Connection Main DB is offline", offline.Content.Subject);
        Assert.Contains("CRM push", offline.Content.Text);

        // Back within the hold: told when the hold ends, by the reminder.
        Clock.Advance(TimeSpan.FromMinutes(1));
        await org.Org.SetConnectionStatusAsync("db", online: true);
        var reminder = await fixture.ReminderAsync(org.OrgId, "connection-holds");
        Assert.NotNull(reminder);
        Clock.Advance(TimeSpan.FromMinutes(4));
        await fixture.TickReminderAsync(org.OrgId, "connection-holds");
        var online = (await ToAsync(ann, 2))[1];
        Assert.Equal("Connection Main DB is back online", online.Content.Subject);
        Assert.Empty(ClusterFixture.Emails.SentTo(bob));
        var view = (await org.Org.GetConnectionAsync("db"))!;
        Assert.Equal((true, true), (view.Online, view.NotifiedOnline));
        Assert.Equal(offlineAt + TimeSpan.FromMinutes(5), view.NotifiedAt);
    }

    [Fact]
    public async Task A_flapping_connection_is_told_once_with_its_final_state()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        await org.Org.PutConnectionAsync("db", new ConnectionProfile("Main DB", []));
        var ann = await FollowAsync(org, "ann", connections: ["db"]);
        await org.Org.SetConnectionStatusAsync("db", online: false);
        for (var i = 0; i < 3; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(30));
            await org.Org.SetConnectionStatusAsync("db", online: true);
            Clock.Advance(TimeSpan.FromSeconds(30));
            await org.Org.SetConnectionStatusAsync("db", online: false);
        }
        Clock.Advance(TimeSpan.FromMinutes(5));
        await fixture.TickReminderAsync(org.OrgId, "connection-holds");
        Assert.Single(await ToAsync(ann, 1));
        Assert.Single(await org.NotificationsAsync(), n => n.Kind == NotificationKind.ConnectionChanged);
        Assert.Null(await fixture.ReminderAsync(org.OrgId, "connection-holds"));
    }

    [Fact]
    public async Task Following_an_unknown_integration_or_connection_is_refused_naming_the_field()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var flows = await Assert.ThrowsAsync<ArgumentException>(() => FollowAsync(org, "ann", flows: [new FlowSubscription("nope", "orders")]));
        // Orleans carries the message across, not the parameter name: the message starts with the field.
        Assert.StartsWith("subscriptions.flows[0].integration_id ", flows.Message);
        var connections = await Assert.ThrowsAsync<ArgumentException>(() => FollowAsync(org, "ann", connections: ["nope"]));
        Assert.StartsWith("subscriptions.connections[0] ", connections.Message);
        Assert.Null(await org.Org.GetUserAsync("ann"));
    }

    [Fact]
    public async Task Following_flows_registers_the_digest_reminder_at_the_organizations_own_offset()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        Assert.Null(await fixture.ReminderAsync(org.OrgId, "digest"));
        await FollowAsync(org, "ann", integrations: [OrgScenario.Outgoing]);
        var reminder = await fixture.ReminderAsync(org.OrgId, "digest");
        Assert.NotNull(reminder);
        Assert.Equal(TimeSpan.FromMinutes(15), reminder.Period);
    }

    [Fact]
    public void Digest_rounds_of_many_organizations_spread_over_the_interval()
    {
        var now = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        var interval = TimeSpan.FromMinutes(15);
        var dues = Enumerable.Range(0, 10_000).Select(i => Alerts.Grains.Lifecycle.DigestRounds.DigestPhase($"org-{i}", now, interval)).ToList();
        Assert.All(dues, due => Assert.InRange(due, TimeSpan.FromTicks(1), interval));
        // Fifteen one-minute slots each get about a fifteenth of the rounds: no thundering herd.
        var perMinute = dues.GroupBy(due => (int)due.TotalMinutes).Select(g => g.Count()).ToList();
        Assert.Equal(15, perMinute.Count);
        Assert.All(perMinute, count => Assert.InRange(count, 500, 850));
        // The same organization keeps its offset: asked later, its next round falls on the same grid.
        var first = now + Alerts.Grains.Lifecycle.DigestRounds.DigestPhase("org-1", now, interval);
        var later = now + TimeSpan.FromMinutes(7) + Alerts.Grains.Lifecycle.DigestRounds.DigestPhase("org-1", now + TimeSpan.FromMinutes(7), interval);
        Assert.Equal(0, (later - first).Ticks % interval.Ticks);
    }

    [Fact]
    public async Task An_integration_with_thousands_of_distinct_long_errors_keeps_its_state_under_the_bound()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        // Three bytes a character in UTF-8, as Orleans stores strings: the worst case for the bound.
        var longText = new string('錯', AttemptRules.MaxMessageLength);
        var flow = new string('流', AttemptRules.MaxNameLength - 4);
        var key = new string('鍵', AttemptRules.MaxTraceKeyLength - 6);
        for (var batch = 0; batch < 10; batch++)
        {
            // 250 distinct errors a batch, then each key failing with another code (superseding: resolved errors pile up).
            var attempts = Enumerable.Range(0, 250).Select(i => new Attempt($"b{batch}-{i}", AttemptOutcome.Error, null, 500 + batch,
                longText, $"{flow}{i % 7:D4}", new string('務', AttemptRules.MaxNameLength), $"{key}{i:D6}")).ToArray();
            Assert.Equal(RecordStatus.Recorded, (await org.RecordAsync(OrgScenario.Outgoing, attempts)).Status);
            Clock.Advance(TimeSpan.FromMinutes(1));
        }
        await fixture.DeactivateIdleAsync();

        var open = new List<ErrorView>();
        string? cursor = null;
        do
        {
            var page = await org.Org.ListErrorsAsync(new ErrorQuery(ErrorStatus.Open, OrgScenario.Outgoing, Limit: ErrorQuery.MaxLimit, Cursor: cursor));
            open.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null);
        Assert.Equal(Alerts.Grains.Lifecycle.ErrorBook.MaxActive + 1, open.Count);
        Assert.Contains(open, e => e.Overflow && e.Occurrences >= 1_000);
        var largest = SizeRecordingGrainStorage.LargestFor(org.OrgId);
        // docs/architecture.md: 260 KiB of latest errors plus 460 KiB of lifecycle, under the adapter's 960 KiB.
        Assert.InRange(largest["integration"], 1, 720 * 1024);
    }
}
