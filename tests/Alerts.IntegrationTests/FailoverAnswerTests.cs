using System.Net;
using System.Net.Http.Json;
using Alerts.Contracts;
using Alerts.IntegrationTests.Support;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Alerts.IntegrationTests;

/// <summary>
/// Issue 20: while the cluster fails over, every HTTP request is answered — accepted, or 503 with Retry-After after
/// a bounded wait (Alerts:Http:Deadline, 8 s) — instead of hanging until Orleans' 30 s response timeout; reporters
/// that retry a refused batch with the same event ids get every acknowledged report counted exactly once.
/// </summary>
public sealed class FailoverAnswerTests(ITestOutputHelper output)
{
    private const int Organizations = 20;
    private const int Reporters = 8;
    private const int BatchSize = 10;

    [Fact]
    public async Task A_silo_killed_under_load_leaves_no_request_unanswered_and_every_acknowledged_report_counted_once()
    {
        // Orleans' default failure detection: the dead silo takes its real time to be declared dead.
        await using var deployment = new LocalDeployment();
        await deployment.Storage.StartAsync();
        for (var i = 0; i < 3; i++) await deployment.StartSiloAsync();
        var client = await deployment.ClientAsync();
        var management = client.GetGrain<IManagementGrain>(0);
        await Eventually.TrueAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 3, "three silos are active");
        var orgIds = Enumerable.Range(0, Organizations).Select(i => $"answer-{i}").ToList();
        foreach (var orgId in orgIds)
        {
            await client.GetOrganization(orgId).PutAsync(new OrganizationProfile($"Org {orgId}", "production", true, null,
                new IntegrationNotificationSettings(new DirectionSettings(1_000_000, FailureInterval.OneHour), DirectionSettings.Unset)));
            await client.GetIntegration(orgId, "crm").PutAsync(new IntegrationProfile("crm", IntegrationType.OutboundWebhook));
        }

        // The reporters use the two silos that stay; the third is killed once the load is under way.
        var victim = deployment.Silos[2];
        var entries = deployment.Silos.Take(2).Select(s => new Uri($"http://127.0.0.1:{s.HttpPort}")).ToList();
        // Well past the 8 s deadline and well short of the 30 s response timeout a hung request used to wait.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", LocalDeployment.OperatorKey);
        long acknowledged = 0, refused = 0, unanswered = 0, withoutRetryAfter = 0;
        var started = new TaskCompletionSource();
        // The load goes on through the whole failover: until the dead silo has been declared dead and 10 s more.
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, Reporters).Select(reporter => Task.Run(async () =>
        {
            for (var batch = 0; !stop.IsCancellationRequested; batch++)
            {
                var orgId = orgIds[(reporter + batch) % Organizations];
                var events = Enumerable.Range(0, BatchSize).Select(n => new { event_id = $"r{reporter}-b{batch}-e{n}", integration_id = "crm", outcome = "error" }).ToList();
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        using var response = await http.PostAsJsonAsync(new Uri(entries[attempt % entries.Count], $"/api/v1/orgs/{orgId}/events"), new { events });
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            if (Interlocked.Add(ref acknowledged, BatchSize) >= 2_000) started.TrySetResult();
                            break;
                        }
                        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                        Interlocked.Increment(ref refused);
                        if (response.Headers.RetryAfter is null) Interlocked.Increment(ref withoutRetryAfter);
                    }
                    catch (TaskCanceledException)
                    {
                        Interlocked.Increment(ref unanswered);
                    }
                    await Task.Delay(200);
                }
            }
        })).ToList();

        await started.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await deployment.StopSiloAsync(victim, kill: true);
        await Eventually.TrueAsync(async () => (await Retrying.CallAsync(() => management.GetHosts(onlyActive: true))).Count == 2,
            "the killed silo is declared dead", TimeSpan.FromMinutes(2));
        stop.CancelAfter(TimeSpan.FromSeconds(10));
        await Task.WhenAll(load).WaitAsync(TimeSpan.FromMinutes(3));

        output.WriteLine($"acknowledged {acknowledged}, 503 {refused}, unanswered within 15 s {unanswered}");
        Assert.Equal(0, unanswered);
        Assert.Equal(0, withoutRetryAfter);
        long counted = 0;
        foreach (var orgId in orgIds)
            counted += (await Retrying.CallAsync(() => client.GetIntegration(orgId, "crm").GetAsync()))!.Errors;
        Assert.Equal(acknowledged, counted);
    }
}
