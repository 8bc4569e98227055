using System.Diagnostics;
using Alerts.Contracts;
using Alerts.Grains.Organization;

namespace Alerts.Bench;

public sealed record DigestResult(int Organizations, double Seconds, int Digests, int Failures);

/// <summary>
/// A digest sweep: many organizations, each with one integration, a user following it and a few open errors, then one
/// digest round per organization (what each one's reminder does every 15 minutes), as many at once as the reminders of
/// one silo would run. A round counts when it returns: its digests are decided and handed to the outbox (sending is
/// paced by the relay limit afterwards).
/// </summary>
public sealed class DigestBench(IGrainFactory grains, BenchOptions options, int? organizations = null)
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];
    private readonly int _organizations = organizations ?? options.Orgs;

    private IEnumerable<string> Orgs() => Enumerable.Range(0, _organizations).Select(i => $"digest-{_run}-{i}");

    public async Task PrepareAsync()
    {
        await Parallel.ForEachAsync(Orgs(), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (org, _) =>
        {
            var organization = grains.GetOrganization(org);
            await organization.PutAsync(new OrganizationProfile($"Digest {org}", "production", true, null,
                new IntegrationNotificationSettings(DirectionSettings.Unset, DirectionSettings.Unset)));
            await grains.GetIntegration(org, "crm").PutAsync(new IntegrationProfile("CRM", IntegrationType.OutboundWebhook));
            await organization.PutUserAsync("ops", new UserProfile($"ops@{org}.example", "Ops", UserRole.Monitor, [],
                new Subscriptions([], ["crm"], [])));
            var errors = Enumerable.Range(0, 3)
                .Select(i => new Report("crm", new Attempt($"{org}-e{i}", AttemptOutcome.Error, null, 502, "Bad Gateway", "sync", null, $"t-{i}")))
                .ToList();
            var result = (await organization.ReportAsync([errors]))[0];
            if (result.Status != RecordStatus.Recorded) throw new InvalidOperationException($"{org}: {result.Problem}");
        });
    }

    public async Task<DigestResult> RunAsync()
    {
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Orgs(), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (org, _) =>
        {
            try
            {
                await grains.GetGrain<IDigestRound>(org).RunDigestAsync();
            }
            catch (Exception)
            {
                Interlocked.Increment(ref failures);
            }
        });
        clock.Stop();
        var digests = 0;
        await Parallel.ForEachAsync(Orgs(), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (org, _) =>
        {
            var page = await grains.GetOrganization(org).ListNotificationsAsync(new NotificationQuery(10, Kind: NotificationKind.Digest));
            Interlocked.Add(ref digests, page.Items.Sum(n => n.RecipientCount));
        });
        return new DigestResult(_organizations, clock.Elapsed.TotalSeconds, digests, failures);
    }
}
