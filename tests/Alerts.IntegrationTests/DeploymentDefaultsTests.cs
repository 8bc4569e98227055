using Alerts.Api.Auth;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// Issue 21, item 1: the shipped deployment publishes only the HTTP API and has no operator key of its own, and a silo
/// refuses the development key when its HTTP listens beyond loopback.
/// </summary>
public sealed class DeploymentDefaultsTests
{
    /// <summary>Each service of docker-compose.yml with what it publishes and its environment lines (the file's own two-level shape).</summary>
    private static Dictionary<string, (List<string> Ports, List<string> Lines)> ComposeServices()
    {
        var services = new Dictionary<string, (List<string>, List<string>)>(StringComparer.Ordinal);
        var inServices = false;
        (List<string> Ports, List<string> Lines)? current = null;
        foreach (var line in File.ReadLines(Path.Combine(Repository.Root, "docker-compose.yml")))
        {
            if (line.Length == 0 || line.TrimStart().StartsWith('#')) continue;
            if (!line.StartsWith(' ')) { inServices = line.StartsWith("services:", StringComparison.Ordinal); current = null; continue; }
            if (!inServices) continue;
            if (line.StartsWith("  ", StringComparison.Ordinal) && !line.StartsWith("   ", StringComparison.Ordinal))
            {
                current = ([], []);
                services[line.Trim().TrimEnd(':')] = current.Value;
                continue;
            }
            if (current is not { } service) continue;
            service.Lines.Add(line.Trim());
            if (line.Trim().StartsWith("ports:", StringComparison.Ordinal))
                service.Ports.AddRange(line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.LastIndexOf(']')].Split(',').Select(p => p.Trim().Trim('"')));
        }
        return services;
    }

    [Fact]
    public void Compose_publishes_only_the_http_api_and_requires_an_operator_key()
    {
        var services = ComposeServices();
        Assert.Equal(["azurite", "maildev", "silo1", "silo2"], services.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(services["azurite"].Ports);
        Assert.Empty(services["maildev"].Ports);
        // Each silo publishes its HTTP port (5080 in the container) and nothing else: not 11111 or 30000 (Orleans).
        Assert.Equal(["5080:5080"], services["silo1"].Ports);
        Assert.Equal(["5081:5080"], services["silo2"].Ports);
        foreach (var silo in new[] { "silo1", "silo2" })
        {
            var key = Assert.Single(services[silo].Lines, l => l.StartsWith("Alerts__OperatorKey:", StringComparison.Ordinal));
            Assert.Contains("${ALERTS_OPERATOR_KEY:?", key);
            Assert.DoesNotContain(DevelopmentKeyGuard.DevelopmentKey, key);
        }
        Assert.DoesNotContain(DevelopmentKeyGuard.DevelopmentKey, File.ReadAllText(Path.Combine(Repository.Root, "docker-compose.yml")));
    }

    [Fact]
    public async Task A_silo_refuses_the_development_key_when_http_listens_on_every_interface()
    {
        var environment = new Dictionary<string, string>
        {
            ["Alerts__OperatorKey"] = DevelopmentKeyGuard.DevelopmentKey,
            ["ASPNETCORE_URLS"] = $"http://0.0.0.0:{Repository.FreePort()}",
            ["Alerts__Silo__Clustering"] = "Localhost",
            ["Alerts__Storage__Provider"] = "Memory",
            ["Alerts__Silo__SiloPort"] = Repository.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Alerts__Silo__GatewayPort"] = Repository.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        await using var silo = ChildProcess.Dotnet("silo (development key on 0.0.0.0)", Repository.Program("src/Silo", "Alerts.Silo"), environment);
        var exit = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exit);
        Assert.Contains("is the development key 'dev-operator-key' while HTTP listens beyond loopback", silo.Tail);
    }
}
