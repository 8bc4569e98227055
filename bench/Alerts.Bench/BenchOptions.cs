using System.Globalization;

namespace Alerts.Bench;

/// <summary>Command-line settings: <c>--name value</c> pairs.</summary>
public sealed record BenchOptions(
    int GatewayPort,
    string Mode,
    int Batch,
    int Concurrency,
    int Reports,
    int Orgs,
    int IntegrationsPerOrg,
    double ErrorRatio,
    int WarmupReports,
    int? SiloPid)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"expected --name value, got '{args[i]}'");
            values[args[i][2..]] = args[i + 1];
        }
        string Text(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        int Number(string name, int fallback) => int.Parse(Text(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var mode = Text("mode", "batch");
        if (mode is not ("batch" or "single" or "digest"))
            throw new ArgumentException("--mode is batch (one call per batch), single (one attempt per call, coalesced) or digest (a digest sweep over --orgs organizations)");
        return new BenchOptions(
            Number("gateway-port", 30000),
            mode,
            Number("batch", 1000),
            Number("concurrency", 8),
            Number("reports", 1_000_000),
            Number("orgs", 1),
            Number("integrations", 1000),
            double.Parse(Text("error-ratio", "1.0"), CultureInfo.InvariantCulture),
            Number("warmup", 50_000),
            values.TryGetValue("silo-pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null);
    }

    public override string ToString() =>
        $"mode={Mode} batch={(Mode == "single" ? 1 : Batch)} concurrency={Concurrency} reports={Reports} orgs={Orgs} integrations/org={IntegrationsPerOrg} error-ratio={ErrorRatio:0.##}";
}
