using Alerts.Contracts;
using Alerts.Grains.Organization;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>
/// Mute windows on the test cluster (issue 22, item 2): a muted direction counts but does not send, and its end tells what
/// is still over the limit once; an early end tells at once; connection notices are held to the end; a muted
/// integration's errors do not count; every change is audited.
/// </summary>
[Collection(ClusterTests.Name)]
public sealed class MuteGrainTests(ClusterFixture fixture)
{
    private static Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => ClusterFixture.Clock;

    private async Task<(OrgScenario Org, string Email, IOrganizationMutes Mutes)> OrgAsync()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: new DirectionSettings(3, FailureInterval.OneHour));
        var email = await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        return (org, email, fixture.Grains.GetGrain<IOrganizationMutes>(org.OrgId));
    }

    [Fact]
    public async Task A_muted_direction_counts_without_sending_and_its_end_tells_once_what_is_still_over()
    {
        var (org, email, mutes) = await OrgAsync();
        var mute = (await mutes.CreateMuteAsync(new MuteSpec("outgoing", null, Clock.GetUtcNow().AddMinutes(30), null, "CRM migration"), "ops"))!;
        Assert.True(mute.ActiveNow);

        Clock.Advance(TimeSpan.FromMinutes(1));
        await org.ErrorsAsync(OrgScenario.Outgoing, 5);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await org.ErrorsAsync(OrgScenario.Outgoing, 1);
        Assert.Empty(await org.NotificationsAsync());
        var muted = (await org.Org.DecisionsAsync(new DecisionQuery(Direction.Outgoing)))![0];
        Assert.Equal((DecisionOutcome.Muted, 6, mute.Id, 2), (muted.Outcome, muted.Errors, muted.MuteId, muted.Evaluations));
        Assert.StartsWith("Muted until ", muted.Summary);

        // The window ends (its reminder): the six errors within the hour are told in one alert.
        Clock.Advance(TimeSpan.FromMinutes(29));
        await fixture.TickReminderAsync(org.OrgId, "mutes");
        var alert = Assert.Single(await org.NotificationsAsync());
        Assert.Equal(6, alert.ErrorCount);
        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(email).Count == 1, "the alert reached ops");
        await fixture.TickReminderAsync(org.OrgId, "mutes");
        Assert.Single(await org.NotificationsAsync());
    }

    [Fact]
    public async Task Ending_a_mute_early_tells_at_once_and_is_audited()
    {
        var (org, _, mutes) = await OrgAsync();
        var mute = (await mutes.CreateMuteAsync(new MuteSpec("organization", null, Clock.GetUtcNow().AddHours(2), null, "maintenance"), "ops"))!;
        Clock.Advance(TimeSpan.FromMinutes(1));
        await org.ErrorsAsync(OrgScenario.Outgoing, 4);
        Assert.Empty(await org.NotificationsAsync());

        var moved = (await mutes.UpdateMuteAsync(mute.Id, new MutePatch(EndsAt: Clock.GetUtcNow().AddHours(3), Reason: "maintenance, longer"), "ops"))!;
        Assert.Equal("maintenance, longer", moved.Spec.Reason);
        var ended = (await mutes.EndMuteAsync(mute.Id, "ops"))!;
        Assert.False(ended.ActiveNow);
        Assert.Equal(("ops", Clock.GetUtcNow()), (ended.EndedBy, ended.EndedAt));
        Assert.Equal(["created", "changed", "ended"], ended.Audit.Select(a => a.Action));
        Assert.Equal(4, Assert.Single(await org.NotificationsAsync()).ErrorCount);

        // Refusals name the field; an ended mute is not changed again.
        var unknown = await Assert.ThrowsAnyAsync<ArgumentException>(() => mutes.CreateMuteAsync(new MuteSpec("organization", null, Clock.GetUtcNow().AddHours(1), null, "x"), "nobody"));
        Assert.StartsWith("created_by ", unknown.Message);
        var scope = await Assert.ThrowsAnyAsync<ArgumentException>(() => mutes.CreateMuteAsync(new MuteSpec("connection:none", null, Clock.GetUtcNow().AddHours(1), null, "x"), "ops"));
        Assert.StartsWith("scope ", scope.Message);
        var over = await Assert.ThrowsAnyAsync<ArgumentException>(() => mutes.UpdateMuteAsync(mute.Id, new MutePatch(Reason: "again"), "ops"));
        Assert.StartsWith("mute_id ", over.Message);
        Assert.Equal(mute.Id, Assert.Single((await mutes.ListMutesAsync())!).Id);
    }

    [Fact]
    public async Task A_muted_connection_is_told_once_with_its_final_state_when_the_mute_ends()
    {
        var (org, _, mutes) = await OrgAsync();
        await org.Org.PutConnectionAsync("db", new ConnectionProfile("Main DB", [OrgScenario.Outgoing]));
        var ann = $"ann@{org.Domain}";
        await org.Org.PutUserAsync("ann", new UserProfile(ann, "ann", UserRole.Monitor, [], new Subscriptions([], [], ["db"])));
        var mute = (await mutes.CreateMuteAsync(new MuteSpec("connection:db", null, Clock.GetUtcNow().AddHours(2), null, "DB upgrade"), "ops"))!;

        await org.Org.SetConnectionStatusAsync("db", online: false);
        Clock.Advance(TimeSpan.FromMinutes(10));
        await org.Org.SetConnectionStatusAsync("db", online: true);
        Clock.Advance(TimeSpan.FromMinutes(10));
        var held = (await org.Org.SetConnectionStatusAsync("db", online: false))!;
        Assert.Equal(mute.ActiveUntil, held.HoldUntil);
        Assert.Empty(await org.NotificationsAsync());

        await mutes.EndMuteAsync(mute.Id, "ops");
        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(ann).Count >= 1, "ann was told");
        Assert.Equal("Connection Main DB is offline", Assert.Single(ClusterFixture.Emails.SentTo(ann)).Content.Subject);
        Assert.Single(await org.NotificationsAsync());
    }

    [Fact]
    public async Task A_muted_integrations_errors_do_not_count_toward_its_directions_alert()
    {
        var (org, _, mutes) = await OrgAsync();
        var mute = (await mutes.CreateMuteAsync(new MuteSpec($"integration:{OrgScenario.Outgoing}", null, Clock.GetUtcNow().AddMinutes(10), null, "known bad"), "ops"))!;
        Clock.Advance(TimeSpan.FromMinutes(1));
        await org.ErrorsAsync(OrgScenario.Outgoing, 5);
        Assert.Empty(await org.NotificationsAsync());

        Clock.Advance(TimeSpan.FromMinutes(10));
        await fixture.TickReminderAsync(org.OrgId, "mutes");
        Assert.Empty(await org.NotificationsAsync()); // they were not counted
        Assert.False((await mutes.GetMuteAsync(mute.Id))!.ActiveNow);
        await org.ErrorsAsync(OrgScenario.Outgoing, 3);
        Assert.Equal(3, Assert.Single(await org.NotificationsAsync()).ErrorCount);
    }

    [Fact]
    public async Task A_digest_lists_errors_under_a_mute_apart_with_its_reason()
    {
        var (org, _, mutes) = await OrgAsync();
        var cid = $"cid@{org.Domain}";
        await org.Org.PutUserAsync("cid", new UserProfile(cid, "cid", UserRole.Monitor, [], new Subscriptions([], [OrgScenario.Outgoing, OrgScenario.Incoming], [])));
        await mutes.CreateMuteAsync(new MuteSpec("outgoing", null, Clock.GetUtcNow().AddHours(1), null, "CRM migration"), "ops");
        await org.RecordAsync(OrgScenario.Outgoing, new Attempt($"evt-{Guid.NewGuid():N}", AttemptOutcome.Error, null, 500, "crm push failed", "orders"));
        await org.RecordAsync(OrgScenario.Incoming, new Attempt($"evt-{Guid.NewGuid():N}", AttemptOutcome.Error, null, 500, "shop hook failed", "orders"));
        Clock.Advance(TimeSpan.FromMinutes(15));
        await fixture.Grains.GetGrain<IDigestRound>(org.OrgId).RunDigestAsync();

        await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(cid).Count >= 1, "cid got the digest");
        var text = Assert.Single(ClusterFixture.Emails.SentTo(cid)).Content.Text;
        var (shop, heading, crm) = (text.IndexOf("shop hook failed", StringComparison.Ordinal), text.IndexOf("While muted:", StringComparison.Ordinal),
            text.IndexOf("crm push failed", StringComparison.Ordinal));
        Assert.True(shop >= 0 && heading > shop && crm > heading, text);
        Assert.Contains("(muted: CRM migration)", text);
    }
}
