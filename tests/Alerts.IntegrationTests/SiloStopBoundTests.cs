using System.Diagnostics;
using System.Globalization;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// A silo asked to stop while its storage is unreachable ends within its documented bound (2 × the SMTP timeout + 45 s)
/// instead of retrying storage for minutes: run.sh and orchestrators can rely on the bound.
/// </summary>
public sealed class SiloStopBoundTests
{
    [Fact]
    public async Task A_silo_stops_within_its_bound_when_storage_is_gone()
    {
        // The shortest bound: 2 × 1 s + 10 s for the delivery worker, 30 s for Orleans, 5 s of grace.
        var bound = TimeSpan.FromSeconds(2 * 1 + 10 + 30 + 5);
        await using var deployment = await new LocalDeployment(settings: new Dictionary<string, string>(TestSettings.QuickReminders)
        {
            ["Alerts__Email__TimeoutSeconds"] = "1",
        }).StartAllAsync();
        // Grains with state to write and reminders to stop, as in a running stack.
        var org = await ApiScenario.CreateAsync(deployment.Api, limit: 1);
        await org.AddUserAsync("ops", "outgoing_integration__error");
        await org.AddIntegrationAsync("crm", "outbound_webhook");
        await org.PostErrorsAsync("crm", 1);
        await deployment.Inbox.WaitForAsync(org.Domain, 1, TimeSpan.FromSeconds(60));

        await deployment.StopGatewayAsync();
        await deployment.Storage.StopAsync();
        var silo = deployment.Silos[0].Process;
        var stopping = Stopwatch.StartNew();
        using (var term = Process.Start("kill", ["-TERM", silo.Id.ToString(CultureInfo.InvariantCulture)]))
            await term.WaitForExitAsync();
        await silo.WaitForExitAsync(bound + TimeSpan.FromSeconds(15));
        Assert.True(stopping.Elapsed < bound + TimeSpan.FromSeconds(15), $"stopped after {stopping.Elapsed}");
    }
}
