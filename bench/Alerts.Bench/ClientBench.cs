using System.Diagnostics;
using System.Globalization;
using Alerts.Contracts;

namespace Alerts.Bench;

public sealed record BenchResult(long Reports, double Seconds, double P50Ms, double P99Ms, int Failures);

/// <summary>
/// Reports through a plain Orleans client: either batches of attempts spread over an organization's integrations, one
/// <see cref="IOrganizationReports.ReportAsync"/> call each, or one attempt per call through <see cref="ReportCoalescer"/>.
/// A call counts when it returns: every attempt in it is durable.
/// </summary>
public sealed class ClientBench(IGrainFactory grains, BenchOptions options)
{
    private readonly ReportCoalescer _coalescer = new(grains);
    private long _nextEvent;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    /// <summary>Organizations whose limit is never reached (the policy still runs on every commit), and their integrations.</summary>
    public async Task PrepareAsync()
    {
        var never = new DirectionSettings(int.MaxValue, FailureInterval.OneHour);
        foreach (var org in Orgs())
        {
            await grains.GetOrganization(org).PutAsync(new OrganizationProfile(
                $"Bench {org}", "production", true, null, new IntegrationNotificationSettings(never, never)));
            await Parallel.ForEachAsync(Integrations(), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (integration, _) =>
            {
                var type = integration.EndsWith('0') ? IntegrationType.InboundWebhook : IntegrationType.OutboundWebhook;
                await grains.GetIntegration(org, integration).PutAsync(new IntegrationProfile(integration, type));
            });
        }
    }

    public async Task<BenchResult> RunAsync(long reports)
    {
        var perCall = options.Mode == "single" ? 1 : options.Batch;
        var calls = (int)(reports / perCall);
        var latencies = new double[calls];
        var failures = 0;
        var next = -1;
        var orgs = Orgs().ToArray();
        var integrations = Integrations().ToArray();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            var random = new Random();
            int call;
            while ((call = Interlocked.Increment(ref next)) < calls)
            {
                var org = orgs[call % orgs.Length];
                var batch = Batch(random, integrations, perCall);
                var started = Stopwatch.GetTimestamp();
                var result = options.Mode == "single"
                    ? await _coalescer.ReportAsync(org, batch)
                    : (await grains.GetGrain<IOrganizationReports>(org).ReportAsync([batch]))[0];
                latencies[call] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (result.Status != RecordStatus.Recorded || result.Accepted != batch.Count) Interlocked.Increment(ref failures);
            }
        }));
        clock.Stop();
        Array.Sort(latencies);
        return new BenchResult((long)calls * perCall, clock.Elapsed.TotalSeconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99), failures);
    }

    private List<Report> Batch(Random random, string[] integrations, int size)
    {
        var batch = new List<Report>(size);
        for (var i = 0; i < size; i++)
        {
            var id = _run + Interlocked.Increment(ref _nextEvent).ToString("x", CultureInfo.InvariantCulture);
            var integration = integrations[random.Next(integrations.Length)];
            batch.Add(new Report(integration, random.NextDouble() < options.ErrorRatio
                ? new Attempt(id, AttemptOutcome.Error, null, 502, "Bad Gateway", "bench-flow", "bench", "trace-" + (i % 16))
                : new Attempt(id, AttemptOutcome.Success)));
        }
        return batch;
    }

    private IEnumerable<string> Orgs() => Enumerable.Range(0, options.Orgs).Select(i => $"bench-org-{i}");

    private IEnumerable<string> Integrations() => Enumerable.Range(0, options.IntegrationsPerOrg).Select(i => $"int-{i}");

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(p * sorted.Length))];
}
