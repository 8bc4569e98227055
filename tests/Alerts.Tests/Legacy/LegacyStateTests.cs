using Alerts.Contracts;
using Alerts.Grains;
using Alerts.Grains.Notify;
using Alerts.Grains.Organization;
using Alerts.Grains.Webhooks;
using Alerts.Silo.Notify.Email;
using Alerts.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Alerts.Tests.Legacy;

/// <summary>
/// Stored state written by the build before issue 19 (commit be1b614: an organization with a cooldown, an error window
/// and a decision not yet handed over; an outbox with a pending threshold alert and a digest; a failing webhook
/// subscription with a message waiting and a notice for its owner), serialized then by Orleans as the grain storage
/// keeps it (<c>Legacy/be1b614/*.bin</c>, made by <c>LegacyStateWriter.cs.txt</c> beside them, run in that commit's
/// tests with <c>LEGACY_OUT</c> set), read by today's code.
/// </summary>
[Collection(ClusterTests.Name)]
public sealed class LegacyStateTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private const string AlertId = "threshold-outgoing-20261201T100000.0000000Z";

    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private static T Read<T>(string name) =>
        Serializer.Deserialize<T>(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Legacy", "be1b614", name)))
        ?? throw new InvalidDataException($"{name} holds no state");

    [Fact]
    public void An_organization_snapshot_keeps_its_settings_cooldown_window_and_pending_decision()
    {
        var state = Read<OrganizationState>("organization-state.bin");

        Assert.Equal("Legacy Org", state.Profile!.Name);
        Assert.Equal(T0, state.Outgoing.LastFailureAt);
        Assert.Equal(new Alerts.Grains.Thresholds.ErrorCount(3, true), state.Outgoing.Window!.CountAfter(T0));
        Assert.Empty(state.Outgoing.Window.Latest);
        Assert.Equal(new DigestRound(T0.AddMinutes(-15), T0), state.PendingDigest);
        var handOver = Assert.Single(state.HandOvers);
        Assert.Equal(AlertId, handOver.Id);
        var alert = Assert.IsType<ThresholdAlert>(handOver.Payload);
        Assert.Equal(handOver.Subject, alert.Subject);
        Assert.Null(alert.TopCodes);
    }

    [Fact]
    public void A_pending_alert_from_before_is_sent_without_the_sections_it_never_captured()
    {
        var outbox = Read<OutboxState>("outbox-state.bin");

        Assert.Equal([AlertId, "digest-20261201T100000Z"], outbox.Pending.Select(e => e.Id));
        var pending = outbox.Pending[0];
        Assert.Equal((1, "connection refused", 2), (pending.Attempts, pending.LastError, pending.RecipientCount));
        Assert.True(outbox.Pending[1].Personal);
        Assert.Equal("[staging] Error digest", outbox.Pending[1].Subject);
        Assert.Equal(Recipient.Email("ops@legacy.test"), Recipient.Parse("ops@legacy.test"));

        var alert = (ThresholdAlert)pending.Payload;
        var email = EmailTemplates.ThresholdExceeded(alert, csv: null, new ThresholdDetails([], alert.Latest ?? [], null, null));
        Assert.Equal("[staging] Integration error threshold exceeded", email.Subject);
        Assert.Contains("7 errors in outgoing integrations of Legacy Org (staging)", email.Text);
        Assert.Contains("CRM sync (outbound_webhook): 7 errors", email.Text);
        Assert.DoesNotContain("Top error codes", email.Text);
    }

    [Fact]
    public void A_webhook_subscription_keeps_its_breaker_queue_and_owner_notice()
    {
        var state = Read<WebhookSubscriptionState>("webhook-subscription-state.bin");

        Assert.Equal(("https://hooks.example.test/in", "whsec_legacy", 3, true), (state.Url, state.Secret, state.ConsecutiveFailures, state.Warned));
        Assert.Equal("msg_evt1", Assert.Single(state.Waiting).MessageId);
        Assert.Equal(NotificationKind.WebhookFailing, Assert.Single(state.Notices).Kind);
        Assert.Equal(T0.AddMinutes(1), state.HoldUntil);
    }

    [Fact]
    public async Task An_organization_activated_from_that_snapshot_keeps_its_cooldown_and_hands_its_pending_decision_over()
    {
        var orgId = "legacy-" + Guid.NewGuid().ToString("N")[..8];
        var org = fixture.Grains.GetOrganization(orgId);
        var storage = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);
        await storage.WriteStateAsync("organization", org.GetGrainId(), new GrainState<OrganizationState>(Read<OrganizationState>("organization-state.bin")));

        var view = await org.GetAsync();

        Assert.Equal("Legacy Org", view!.Profile.Name);
        Assert.Equal(T0, view.OutgoingLastFailureAt);
        await Eventually.TrueAsync(async () => (await org.ListNotificationsAsync(new NotificationQuery(10))).Items.Any(n => n.Id == AlertId),
            "the decision written before the upgrade was handed to the outbox");
        var listed = (await org.ListNotificationsAsync(new NotificationQuery(10))).Items.Single(n => n.Id == AlertId);
        Assert.Equal("[staging] Integration error threshold exceeded", listed.Subject);
        Assert.Equal(NotificationKind.ThresholdExceeded, listed.Kind);
    }
}
