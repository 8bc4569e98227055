using System.Diagnostics;
using System.Text.RegularExpressions;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// What an operator scrapes: the silo's <c>/metrics</c> on its HTTP port, read by a real Prometheus on loopback, which
/// answers for the reports just sent; and the exposition as Prometheus' own checker (promtool) reads it.
/// </summary>
[Collection(StackTests.Name)]
public sealed class MetricsEndToEndTests(StackFixture stack)
{
    private const string Accepted = """sum(alerts_reports_total{outcome="accepted"})""";

    [Fact]
    public async Task Prometheus_scraping_the_silo_counts_the_reports_just_accepted_and_the_threshold_they_crossed()
    {
        await using var prometheus = await PrometheusServer.StartAsync(stack.Anonymous.BaseAddress!);
        var org = await ApiScenario.CreateAsync(stack.Api);
        await org.AddUserAsync("ops", "outgoing_integration__error");
        await org.AddIntegrationAsync("crm", "outbound_webhook", "CRM sync");
        // The values from before, once Prometheus has scraped the silo (a counter not yet added to is not exported).
        await Eventually.TrueAsync(async () => await prometheus.ValueAsync("""up{job="alerts"}""") == 1, "Prometheus scraped the silo", TimeSpan.FromSeconds(30));
        var before = await prometheus.ValueAsync(Accepted) ?? 0;
        var decisionsBefore = await prometheus.ValueAsync("sum(alerts_threshold_decisions_total)") ?? 0;

        await org.PostErrorsAsync("crm", 5);

        await Eventually.TrueAsync(async () => await prometheus.ValueAsync(Accepted) >= before + 5, "Prometheus counts the 5 reports", TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(async () => await prometheus.ValueAsync("sum(alerts_threshold_decisions_total)") >= decisionsBefore + 1,
            "Prometheus counts the threshold decision", TimeSpan.FromSeconds(30));
        Assert.True(await prometheus.ValueAsync("""sum(alerts_journal_commit_reports_count)""") >= 1);
    }

    [Fact]
    public async Task The_exposition_passes_promtool_and_needs_no_key()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        await org.AddIntegrationAsync("crm", "outbound_webhook", "CRM sync");
        await org.PostErrorsAsync("crm", 1);

        var exposition = await stack.Anonymous.GetStringAsync("/metrics");
        Assert.Contains("alerts_reports_total", exposition);
        Assert.Contains("orleans_", exposition);
        Assert.Contains("http_server_request_duration_seconds", exposition);

        var check = new ProcessStartInfo("/usr/bin/promtool", ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var promtool = Process.Start(check)!;
        await promtool.StandardInput.WriteAsync(exposition);
        promtool.StandardInput.Close();
        var problems = await promtool.StandardError.ReadToEndAsync() + await promtool.StandardOutput.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        // The exposition parses (an unreadable one is an error, not a lint line); Alerts' own metrics follow every naming
        // rule. Orleans' and the runtime's names are theirs (milliseconds, "_count" gauges) and are left as they export them.
        var lines = problems.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.DoesNotContain(lines, line => line.Contains("error", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(lines, line => line.StartsWith("alerts_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_alerting_rules_pass_promtool_and_their_unit_tests_and_fire_on_what_they_should()
    {
        var rules = Path.Combine(Repository.Root, "ops", "prometheus");
        var (checkExit, checkOutput) = await PromtoolAsync(rules, "check", "rules", "alerts-rules.yml");
        Assert.True(checkExit == 0, checkOutput);
        Assert.Contains("SUCCESS: 6 rules found", checkOutput);
        var (testExit, testOutput) = await PromtoolAsync(rules, "test", "rules", "alerts-rules.test.yml");
        Assert.True(testExit == 0, testOutput);
    }

    [Fact]
    public async Task Every_series_the_rules_and_the_dashboard_read_is_exported_or_documented()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        await org.AddUserAsync("ops", "outgoing_integration__error");
        await org.AddIntegrationAsync("crm", "outbound_webhook", "CRM sync");
        await org.PostErrorsAsync("crm", 5);
        var exposition = await stack.Anonymous.GetStringAsync("/metrics");
        var documented = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "operations.md"));
        var read = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "ops", "prometheus", "alerts-rules.yml"))
                   + await File.ReadAllTextAsync(Path.Combine(Repository.Root, "ops", "grafana", "alerts-dashboard.json"));
        var names = Regex.Matches(read, @"\b(?:alerts|http_server)_[a-z_]+").Select(m => m.Value).Distinct().ToList();
        Assert.Contains("alerts_outbox_oldest_pending_age_seconds", names);
        // Always exported, whatever the traffic: the gauge and the HTTP and report series after one report.
        Assert.Contains("alerts_outbox_oldest_pending_age_seconds", exposition);
        foreach (var name in names)
        {
            var series = Regex.Replace(name, "_(bucket|sum|count)$", "");
            Assert.True(exposition.Contains(name + "{", StringComparison.Ordinal) || exposition.Contains(name + " ", StringComparison.Ordinal)
                        || documented.Contains(series, StringComparison.Ordinal), $"{name} is neither exported nor in docs/operations.md");
        }
    }

    private static async Task<(int Exit, string Output)> PromtoolAsync(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/promtool", arguments)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var promtool = Process.Start(start)!;
        var output = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        return (promtool.ExitCode, output);
    }
}
