using Alerts.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Alerts.IntegrationTests;

/// <summary>
/// The fault bench (bench/faults.sh) in small: reports over HTTP and the Orleans client to three silos while the relay
/// is down all along, one silo is killed and started again, and storage stops for 10 s. Every acknowledged report is
/// counted exactly once and each subscribed recipient gets exactly one threshold e-mail once the relay is back.
/// </summary>
public sealed class FaultRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Under_a_silo_kill_a_storage_outage_and_a_relay_outage_every_acknowledged_report_counts_once_and_each_recipient_is_told_once()
    {
        var data = Directory.CreateTempSubdirectory("alerts-fault-run-");
        try
        {
            await using var deployment = new LocalDeployment(storageLocation: data.FullName, settings: TestSettings.FastFailover);
            await deployment.StartAllAsync();
            await deployment.StartSiloAsync();
            await deployment.StartSiloAsync();
            var run = new FaultRun(deployment, new FaultRun.Settings(Reports: 20_000, Organizations: 10));
            await run.PrepareAsync();

            await deployment.StopMailDevAsync();
            var (load, timings) = await run.LoadAsync(
            [
                new FaultRun.Fault("silo killed and started again", 0.25, async () =>
                {
                    await deployment.StopSiloAsync(deployment.Silos[^1], kill: true);
                    await deployment.StartSiloAsync();
                }),
                new FaultRun.Fault("storage stopped for 10 s", 0.6, async () =>
                {
                    await deployment.Storage.StopAsync();
                    await Task.Delay(TimeSpan.FromSeconds(10));
                    await deployment.Storage.StartAsync();
                }),
            ], TimeSpan.FromMinutes(5));
            await deployment.StartMailDevAsync();
            var relayBack = DateTimeOffset.UtcNow;
            var result = await run.CheckAsync("all three", load, timings, relayBack, TimeSpan.FromMinutes(4));
            output.WriteLine(FaultRun.Result.Header);
            output.WriteLine(result.Row());

            Assert.Equal(20_000, result.Acknowledged);
            Assert.Equal(result.Acknowledged, result.Counted);
            Assert.True(result.ExactlyOnceEach, result.Row());
            // Reporters were answered or could not connect (a silo down), never left hanging past the client's 30 s.
            Assert.Equal(0, result.AnsweredOther5xx);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
