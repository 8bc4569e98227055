using System.Globalization;

namespace Alerts.Bench;

/// <summary>Command-line settings: <c>--name value</c> pairs.</summary>
public sealed record BenchOptions(
    string Storage,
    string ConnectionString,
    int Batch,
    int Concurrency,
    int Reports,
    int Orgs,
    int IntegrationsPerOrg,
    double ErrorRatio,
    int WarmupReports)
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
        var storage = Text("storage", "memory");
        if (storage is not ("memory" or "azurite")) throw new ArgumentException("--storage is memory or azurite");
        return new BenchOptions(
            storage,
            Text("connection-string", "UseDevelopmentStorage=true"),
            Number("batch", 500),
            Number("concurrency", 16),
            Number("reports", 200_000),
            Number("orgs", 10),
            Number("integrations", 10),
            double.Parse(Text("error-ratio", "1.0"), CultureInfo.InvariantCulture),
            Number("warmup", 20_000));
    }

    public override string ToString() =>
        $"storage={Storage} batch={Batch} concurrency={Concurrency} reports={Reports} orgs={Orgs} integrations/org={IntegrationsPerOrg} error-ratio={ErrorRatio:0.##}";
}
