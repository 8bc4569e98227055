using System.Globalization;

namespace Alerts.Bench;

public static class SteadyOptionsParser
{
    public static SteadyOptions Parse(string[] args)
    {
        var values = args.Chunk(2).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0].TrimStart('-'), pair => pair[1], StringComparer.OrdinalIgnoreCase);
        int Number(string name, int fallback) => values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        int? Pid(string name) => values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : null;
        return new SteadyOptions(
            values.GetValueOrDefault("url") ?? throw new ArgumentException("--url of the API is required"),
            values.GetValueOrDefault("key") ?? throw new ArgumentException("--key (the operator key) is required"),
            Number("rate", 2_000), Number("batch", 10), Number("minutes", 30), Number("orgs", 20),
            Pid("silo-pid"), Pid("azurite-pid"), values.GetValueOrDefault("azurite-dir"));
    }
}

/// <summary>The soak's verdict: the first minutes against the last, and storage growth per million reports.</summary>
public static class SoakSummary
{
    public static void Print(List<SoakRow> rows, SteadyOptions options)
    {
        if (rows.Count < 4) return;
        // Minute 1 warms up (JIT, connections, activations): compare minutes 2-3 with the last two.
        var early = rows.Skip(1).Take(2).ToList();
        var late = rows.TakeLast(2).ToList();
        var reports = rows.Skip(1).Sum(r => r.Reports);
        var growth = (rows[^1].AzuriteDataMb - rows[0].AzuriteDataMb) / Math.Max(1, reports) * 1_000_000;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Soak: {options.Rate:N0} reports/s in batches of {options.Batch} over {options.Orgs} organizations for {rows.Count} min; {rows.Sum(r => r.Reports):N0} reports, {rows.Sum(r => r.Refused)} refused, {rows.Sum(r => r.Failed)} failed"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  silo RSS {early.Average(r => r.SiloRssMb):0} MB (minutes 2-3) → {late.Average(r => r.SiloRssMb):0} MB (last two); p99 {early.Average(r => r.P99Ms):0.0} → {late.Average(r => r.P99Ms):0.0} ms; silo CPU {early.Average(r => r.SiloCpuPercent):0} → {late.Average(r => r.SiloCpuPercent):0} %"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Azurite RSS {early.Average(r => r.AzuriteRssMb):0} → {late.Average(r => r.AzuriteRssMb):0} MB; data {rows[0].AzuriteDataMb:0.0} → {rows[^1].AzuriteDataMb:0.0} MB = {growth:0.0} MB per million reports"));
    }
}
