using System.Globalization;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>Another .NET service reports through the Orleans client with only the Contracts assembly.</summary>
[Collection(StackTests.Name)]
public sealed class OrleansClientTests(StackFixture stack)
{
    [Fact]
    public async Task A_separate_process_with_only_contracts_reports_errors_that_cross_the_threshold()
    {
        var org = await ApiScenario.CreateAsync(stack.Api, limit: 3);
        await org.AddUserAsync("oncall", "outgoing_integration__error");
        await org.AddIntegrationAsync("billing", "custom_node", "Billing sync");

        var reporterDll = Repository.Program("samples/Alerts.SampleReporter", "Alerts.SampleReporter");
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(reporterDll)!, "Alerts.Grains.dll")), "the reporter must not need the grains");

        var port = stack.GatewayPort.ToString(CultureInfo.InvariantCulture);
        await using var reporter = ChildProcess.Dotnet("reporter", reporterDll, new Dictionary<string, string> { ["ALERTS_CLUSTER_ID"] = stack.ClusterId }, port, org.OrgId, "billing", "3", "batch-1");
        Assert.True(await reporter.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, reporter.Tail);
        Assert.Contains("status=Recorded accepted=3 duplicates=0", reporter.Tail);

        await using var again = ChildProcess.Dotnet("reporter", reporterDll, new Dictionary<string, string> { ["ALERTS_CLUSTER_ID"] = stack.ClusterId }, port, org.OrgId, "billing", "3", "batch-1");
        Assert.True(await again.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, again.Tail);
        Assert.Contains("accepted=0 duplicates=3", again.Tail);

        var mail = Assert.Single(await stack.Inbox.WaitForAsync(org.Domain, 1));
        Assert.Contains("3 errors in outgoing integrations", mail.Text);
        Assert.Contains("Billing sync", mail.Text);
    }
}
