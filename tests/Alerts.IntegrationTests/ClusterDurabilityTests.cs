using Alerts.Contracts;
using Alerts.IntegrationTests.Support;
using Orleans.Runtime;

namespace Alerts.IntegrationTests;

/// <summary>
/// SPEC §8 on real silo processes over Azurite: state and reminders survive silos dying and the whole cluster
/// restarting, and an acknowledged report is counted exactly once.
/// </summary>
public sealed class ClusterDurabilityTests
{
    [Fact]
    public async Task A_three_silo_cluster_survives_killing_one_and_its_grains_come_back_with_their_state()
    {
        await using var deployment = new LocalDeployment(settings: TestSettings.FastFailover);
        await deployment.Storage.StartAsync();
        for (var i = 0; i < 3; i++) await deployment.StartSiloAsync();
        var client = await deployment.ClientAsync();
        var management = client.GetGrain<IManagementGrain>(0);
        await Eventually.TrueAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 3, "three silos are active");

        var orgIds = Enumerable.Range(0, 30).Select(i => $"failover-{i}").ToList();
        foreach (var orgId in orgIds)
        {
            await client.GetOrganization(orgId).PutAsync(Profile(orgId, 5));
            await client.GetOrganization(orgId).PutUserAsync("ops", new UserProfile($"ops@{orgId}.test", "Ops", UserRole.Admin, [NotificationEvents.OutgoingIntegrationError]));
        }
        var victim = deployment.Silos[1];
        var onVictim = new List<string>();
        foreach (var orgId in orgIds)
        {
            if ((await management.GetActivationAddress(client.GetOrganization(orgId)))?.Endpoint.Port == victim.SiloPort) onVictim.Add(orgId);
        }
        Assert.NotEmpty(onVictim);

        await deployment.StopSiloAsync(victim, kill: true);
        await Eventually.TrueAsync(async () => (await Retrying.CallAsync(() => management.GetHosts(onlyActive: true))).Count == 2, "the killed silo is declared dead", TimeSpan.FromSeconds(60));

        foreach (var orgId in orgIds)
        {
            var view = await Retrying.CallAsync(() => client.GetOrganization(orgId).GetAsync());
            Assert.Equal($"Org {orgId}", view!.Profile.Name);
            Assert.Equal($"ops@{orgId}.test", Assert.Single((await Retrying.CallAsync(() => client.GetOrganization(orgId).ListUsersAsync(new ListQuery()))).Items).Profile.Email);
        }
        foreach (var orgId in onVictim)
        {
            var address = await Retrying.CallAsync(() => management.GetActivationAddress(client.GetOrganization(orgId)).AsTask());
            Assert.True(address is not null, $"{orgId} is active again");
            Assert.NotEqual(victim.SiloPort, address.Endpoint.Port);
        }
    }

    [Fact]
    public async Task Every_acknowledged_report_is_counted_once_when_a_silo_dies_mid_way()
    {
        await using var deployment = new LocalDeployment(settings: TestSettings.FastFailover);
        await deployment.Storage.StartAsync();
        await deployment.StartSiloAsync();
        await deployment.StartSiloAsync();
        var client = await deployment.ClientAsync();
        var management = client.GetGrain<IManagementGrain>(0);
        await Eventually.TrueAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 2, "two silos are active");

        const string orgId = "crash-test";
        // One more than will be reported: the threshold can only fire if some report counted twice.
        await client.GetOrganization(orgId).PutAsync(Profile(orgId, 10_001));
        await client.GetOrganization(orgId).PutUserAsync("ops", new UserProfile("ops@crash.test", "Ops", UserRole.Admin, [NotificationEvents.OutgoingIntegrationError]));
        var integrations = Enumerable.Range(0, 10).Select(i => $"int-{i}").ToList();
        foreach (var id in integrations) await client.GetIntegration(orgId, id).PutAsync(new IntegrationProfile(id, IntegrationType.OutboundWebhook));

        var acknowledged = 0;
        var retried = 0;
        var batches = Enumerable.Range(0, 100).ToList();
        var load = Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, cancellation) =>
        {
            var attempts = Enumerable.Range(0, 100).Select(n => new Attempt($"b{batch}-e{n}", AttemptOutcome.Error)).ToList();
            var integration = client.GetIntegration(orgId, integrations[batch % integrations.Count]);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var result = await integration.RecordAsync(attempts);
                    Assert.Equal(RecordStatus.Recorded, result.Status);
                    Interlocked.Add(ref acknowledged, attempts.Count);
                    return;
                }
                catch (Exception) when (attempt < 60)
                {
                    // Not acknowledged: send the same event ids again, as a reporter must.
                    Interlocked.Increment(ref retried);
                    await Task.Delay(500, cancellation);
                }
            }
        });
        await Eventually.TrueAsync(() => Volatile.Read(ref acknowledged) >= 4_000, "4,000 reports were acknowledged", TimeSpan.FromSeconds(60));
        await deployment.StopSiloAsync(deployment.Silos[1], kill: true);
        await load.WaitAsync(TimeSpan.FromMinutes(5));

        Assert.Equal(10_000, acknowledged);
        long total = 0;
        foreach (var id in integrations) total += (await Retrying.CallAsync(() => client.GetIntegration(orgId, id).GetAsync()))!.Errors;
        Assert.Equal(10_000, total);
        Assert.Empty((await Retrying.CallAsync(() => client.GetOrganization(orgId).ListNotificationsAsync(new NotificationQuery(10)))).Items);

        await Retrying.CallAsync(() => client.GetIntegration(orgId, integrations[0]).RecordAsync([new Attempt("one-more", AttemptOutcome.Error)]));
        await Eventually.TrueAsync(async () => (await client.GetOrganization(orgId).ListNotificationsAsync(new NotificationQuery(10))).Items.Count == 1,
            "the 10,001st error crosses the threshold", TimeSpan.FromSeconds(30));
        Assert.Equal(10_001, Assert.Single((await client.GetOrganization(orgId).ListNotificationsAsync(new NotificationQuery(10))).Items).ErrorCount);
    }

    [Fact]
    public async Task A_single_event_acknowledged_with_202_is_counted_after_the_silo_is_killed_right_away()
    {
        await using var deployment = await new LocalDeployment(settings: TestSettings.FastFailover).StartAllAsync();
        var org = await ApiScenario.CreateAsync(deployment.Api, limit: 2);
        await org.AddUserAsync("ops", "outgoing_integration__error");
        await org.AddIntegrationAsync("crm", "outbound_webhook");

        // The 202 means the event is in the journal; the silo dies before any snapshot could hold it.
        await org.PostErrorsAsync("crm", 1, "before-crash");
        await deployment.StopSiloAsync(deployment.Silos[0], kill: true);
        await deployment.StartSiloAsync();

        // Counted after the restart: one more error reaches the limit of two, and the integration shows both.
        await Eventually.TrueAsync(async () =>
        {
            var (status, _) = await ApiScenario.SendAsync(deployment.Api, HttpMethod.Post, $"{org.Path}/events",
                ApiScenario.Json(new { events = new[] { new { event_id = "after-crash", integration_id = "crm", outcome = "error" } } }));
            return status == System.Net.HttpStatusCode.Accepted;
        }, "the gateway reaches the restarted silo", TimeSpan.FromSeconds(90));
        var mail = Assert.Single(await deployment.Inbox.WaitForAsync(org.Domain, 1, TimeSpan.FromSeconds(60)));
        Assert.Contains("2 errors", mail.Text);
        var (_, integration) = await ApiScenario.SendAsync(deployment.Api, HttpMethod.Get, $"{org.Path}/integrations/crm");
        Assert.Equal(2, (int)integration!["errors"]!);
    }

    private static OrganizationProfile Profile(string orgId, int limit) => new(
        $"Org {orgId}", "production", true, null,
        new IntegrationNotificationSettings(new DirectionSettings(limit, FailureInterval.OneHour), DirectionSettings.Unset));
}
