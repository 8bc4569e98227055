using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Alerts.Contracts;

namespace Alerts.IntegrationTests.Support;

/// <summary>
/// A steady report load over a running cluster — reporters over HTTP (batches of 100, to whichever silos are up) and
/// over the Orleans client (batches of 1,000) — with faults injected part-way, then the checks a user would make:
/// every acknowledged report counted exactly once, one threshold e-mail per subscribed recipient, what the reporters
/// were answered, and how long the load took to get back to speed. <c>bench/faults.sh</c> runs it with a million
/// reports per fault; <c>FaultRunTests</c> with a few thousand.
/// </summary>
public sealed class FaultRun(LocalDeployment deployment, FaultRun.Settings settings)
{
    public sealed record Settings(int Reports, int Organizations = 20, int HttpReporters = 6, int ClientReporters = 2, int HttpBatch = 100, int ClientBatch = 1_000)
    {
        /// <summary>Errors that cross each organization's limit once, early, and never again within the hour's cooldown.</summary>
        public int Limit => Math.Max(10, Reports / Organizations / 20);
    }

    /// <summary>A fault: applied once <paramref name="At"/> (a fraction) of the reports are acknowledged; returns when it has ended.</summary>
    public sealed record Fault(string Name, double At, Func<Task> Apply);

    public sealed record Result(
        string Faults, long Acknowledged, long Counted, int Recipients, IReadOnlyDictionary<string, int> EmailsPerRecipient,
        long Answered503, long AnsweredOther5xx, long Unreachable, long Retried, TimeSpan Load, IReadOnlyList<FaultTiming> Timings,
        TimeSpan? EmailsAfterRelayBack)
    {
        public bool ExactlyOnceEach => EmailsPerRecipient.Count == Recipients && EmailsPerRecipient.Values.All(count => count == 1);

        public string Row() => string.Create(CultureInfo.InvariantCulture,
            $"| {Faults} | {Acknowledged:N0} | {Counted:N0} | {(Acknowledged == Counted ? "yes" : "NO")} | {EmailsPerRecipient.Values.Sum()} to {Recipients} ({(ExactlyOnceEach ? "1 each" : "NOT 1 each")}) | {Answered503:N0} | {AnsweredOther5xx:N0} | {Unreachable:N0} | {Load.TotalSeconds:0} s | {Recovery()} |");

        private string Recovery()
        {
            var parts = Timings.Count == 1 ? [Timings[0].Describe()] : Timings.Select(t => t.ToString()).ToList();
            if (EmailsAfterRelayBack is { } back) parts.Add(string.Create(CultureInfo.InvariantCulture, $"e-mails {back.TotalSeconds:0} s after the relay was back"));
            return string.Join("; ", parts);
        }

        public const string Header =
            "| fault | acknowledged | counted | equal | threshold e-mails | 503 | other 5xx | unreachable | load | recovery |\n|---|---|---|---|---|---|---|---|---|---|";
    }

    /// <summary>When a fault started and ended, and when the load was back to half its speed before the fault.</summary>
    public sealed record FaultTiming(string Name, double StartedAt, double EndedAt, double? RecoveredAt)
    {
        public override string ToString() => $"{Name}: {Describe()}";

        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"lasted {EndedAt - StartedAt:0} s, {(RecoveredAt is { } at ? $"back to half speed {at - StartedAt:0} s after it began" : "not back to half speed before the load ended")}");
    }

    private readonly string _run = Guid.NewGuid().ToString("N")[..6];
    private readonly ConcurrentDictionary<long, long> _perSecond = new();
    private readonly Stopwatch _clock = new();
    private long _acknowledged, _answered503, _answeredOther5xx, _unreachable, _retried, _nextBatch = -1;

    private List<string> OrgIds => Enumerable.Range(0, settings.Organizations).Select(i => $"fault-{_run}-{i}").ToList();

    public static string Recipient(string orgId) => $"ops@{orgId}.example.test";

    /// <summary>Organizations with an outgoing integration and one subscribed user each, through the HTTP API.</summary>
    public async Task PrepareAsync()
    {
        foreach (var orgId in OrgIds)
        {
            var org = ApiScenario.Existing(deployment.Api, orgId);
            await org.PutOkAsync(org.Path, new
            {
                name = $"Org {orgId}", environment = "production", production = true, primary_contact = $"owner@{org.Domain}", account_id = org.AccountId,
                settings = new { integration_notifications = new { outgoing_integrations = new { failure_limit = settings.Limit, failure_interval = "1h" } } },
            });
            await org.AddIntegrationAsync("crm", "outbound_webhook");
            await org.AddUserAsync("ops", "outgoing_integration__error");
        }
    }

    /// <summary>
    /// Sends the load, applying each fault at its point; returns once every report is acknowledged. (A relay outage is
    /// not one of these faults: stop the relay before, since maildev forgets its inbox when it stops.)
    /// </summary>
    public async Task<(TimeSpan Load, List<FaultTiming> Timings)> LoadAsync(IReadOnlyList<Fault> faults, TimeSpan limit)
    {
        var client = await deployment.ClientAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", LocalDeployment.OperatorKey);
        using var stop = new CancellationTokenSource(limit);
        var orgs = OrgIds;
        _clock.Start();
        var reporters = Enumerable.Range(0, settings.HttpReporters).Select(r => Task.Run(() => ReportOverHttpAsync(http, orgs, r, stop.Token)))
            .Concat(Enumerable.Range(0, settings.ClientReporters).Select(r => Task.Run(() => ReportOverClientAsync(client, orgs, r, stop.Token))))
            .ToList();
        var timings = new List<FaultTiming>();
        foreach (var fault in faults)
        {
            await Eventually.TrueAsync(() => Volatile.Read(ref _acknowledged) >= fault.At * settings.Reports, $"{fault.At:P0} acknowledged before {fault.Name}", limit);
            var started = _clock.Elapsed.TotalSeconds;
            await fault.Apply();
            timings.Add(new FaultTiming(fault.Name, started, _clock.Elapsed.TotalSeconds, null));
        }
        await Task.WhenAll(reporters);
        var load = _clock.Elapsed;
        return (load, timings.Select(t => t with { RecoveredAt = RecoveredAt(t) }).ToList());
    }

    /// <summary>The first second after the fault ended acknowledging at least half as much as the seconds before it began.</summary>
    private double? RecoveredAt(FaultTiming timing)
    {
        // The speed before the fault, leaving out the first seconds (connections and activations warming up).
        var before = Enumerable.Range(0, (int)timing.StartedAt).Select(s => _perSecond.GetValueOrDefault(s)).Skip(3).ToList();
        if (before.Count == 0) return null;
        var speed = before.Average();
        var last = _perSecond.Keys.DefaultIfEmpty(0).Max();
        for (var second = (long)timing.StartedAt; second <= last; second++)
            if (second >= (long)timing.EndedAt && _perSecond.GetValueOrDefault(second) >= speed / 2) return second;
        return null;
    }

    private bool TakeBatch(out long batch)
    {
        batch = Interlocked.Increment(ref _nextBatch);
        return batch * settings.HttpBatch < settings.Reports;
    }

    private void Acknowledge(int reports)
    {
        Interlocked.Add(ref _acknowledged, reports);
        _perSecond.AddOrUpdate((long)_clock.Elapsed.TotalSeconds, reports, (_, n) => n + reports);
    }

    /// <summary>Batch numbers are shared by both kinds of reporter in units of <see cref="Settings.HttpBatch"/>; a client batch takes several.</summary>
    private async Task ReportOverHttpAsync(HttpClient http, List<string> orgs, int reporter, CancellationToken stop)
    {
        while (TakeBatch(out var batch))
        {
            var orgId = orgs[(int)(batch % orgs.Count)];
            var events = Enumerable.Range(0, settings.HttpBatch).Select(n => new { event_id = $"{_run}-b{batch}-e{n}", integration_id = "crm", outcome = "error", status_code = 502, message = "Bad Gateway" }).ToList();
            for (var attempt = 0; ; attempt++)
            {
                stop.ThrowIfCancellationRequested();
                var silos = deployment.Silos.ToList();
                if (silos.Count == 0)
                {
                    await Task.Delay(200, stop);
                    continue;
                }
                var silo = silos[(reporter + attempt) % silos.Count];
                try
                {
                    using var response = await http.PostAsJsonAsync($"http://127.0.0.1:{silo.HttpPort}/api/v1/orgs/{orgId}/events", new { events }, stop);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        Acknowledge(settings.HttpBatch);
                        break;
                    }
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable) Interlocked.Increment(ref _answered503);
                    else if ((int)response.StatusCode >= 500) Interlocked.Increment(ref _answeredOther5xx);
                    else throw new InvalidOperationException($"a batch was answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(stop)}");
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
                {
                    // Refused, reset or no answer within 30 s: the silo is down. The same ids go again, elsewhere.
                    Interlocked.Increment(ref _unreachable);
                }
                Interlocked.Increment(ref _retried);
                await Task.Delay(200, stop);
            }
        }
    }

    private async Task ReportOverClientAsync(IClusterClient client, List<string> orgs, int reporter, CancellationToken stop)
    {
        var share = settings.ClientBatch / settings.HttpBatch;
        while (true)
        {
            // A client batch takes `share` consecutive batch numbers, so the total stays settings.Reports.
            var first = Interlocked.Add(ref _nextBatch, share) - share + 1;
            if (first * settings.HttpBatch >= settings.Reports) return;
            var count = (int)Math.Min(share, (settings.Reports - first * settings.HttpBatch + settings.HttpBatch - 1) / settings.HttpBatch);
            var orgId = orgs[(int)(first % orgs.Count)];
            var batch = Enumerable.Range(0, count * settings.HttpBatch)
                .Select(n => new Report("crm", new Attempt($"{_run}-c{first}-e{n}", AttemptOutcome.Error, null, 502, "Bad Gateway")))
                .ToList();
            for (var attempt = 0; ; attempt++)
            {
                stop.ThrowIfCancellationRequested();
                try
                {
                    var result = (await client.GetGrain<IOrganizationReports>(orgId).ReportAsync([batch]))[0];
                    if (result.Status != RecordStatus.Recorded) throw new InvalidOperationException($"a client batch was refused: {result.Status}");
                    Acknowledge(batch.Count);
                    break;
                }
                catch (Exception exception) when (exception is not InvalidOperationException && !stop.IsCancellationRequested)
                {
                    // Orleans' own failure (a dead silo, storage down, a timeout): the same ids again.
                    Interlocked.Increment(ref _unreachable);
                }
                Interlocked.Increment(ref _retried);
                await Task.Delay(200, stop);
            }
        }
    }

    /// <summary>
    /// Waits until the integrations count every acknowledged report (projection catches up) and each recipient's
    /// threshold e-mail arrived, then a few seconds more for any duplicate.
    /// </summary>
    public async Task<Result> CheckAsync(string faults, TimeSpan load, IReadOnlyList<FaultTiming> timings, DateTimeOffset? relayBackAt, TimeSpan patience)
    {
        var client = await deployment.ClientAsync();
        long counted = 0;
        await Eventually.TrueAsync(async () =>
        {
            counted = 0;
            foreach (var orgId in OrgIds) counted += (await Retrying.CallAsync(() => client.GetIntegration(orgId, "crm").GetAsync()))!.Errors;
            return counted >= _acknowledged;
        }, "every acknowledged report is counted", patience);
        var recipients = OrgIds.Select(Recipient).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Dictionary<string, int> perRecipient = [];
        DateTimeOffset? lastEmail = null;
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                (perRecipient, lastEmail) = await ThresholdEmailsAsync(recipients);
                return perRecipient.Count == recipients.Count;
            }, "each recipient has a threshold e-mail", patience);
        }
        catch (Xunit.Sdk.XunitException timedOut)
        {
            Assert.Fail(timedOut.Message + "\n" + await MissingAsync(client, perRecipient));
        }
        await Task.Delay(TimeSpan.FromSeconds(5));
        (perRecipient, _) = await ThresholdEmailsAsync(recipients);
        counted = 0;
        foreach (var orgId in OrgIds) counted += (await Retrying.CallAsync(() => client.GetIntegration(orgId, "crm").GetAsync()))!.Errors;
        return new Result(faults, _acknowledged, counted, recipients.Count, perRecipient, _answered503, _answeredOther5xx, _unreachable, _retried,
            load, timings, relayBackAt is { } back && lastEmail is { } last ? last - back : null);
    }

    /// <summary>For a failed run: what the notification log of each organization whose recipient got nothing says.</summary>
    private async Task<string> MissingAsync(IClusterClient client, Dictionary<string, int> perRecipient)
    {
        var lines = new List<string>();
        foreach (var orgId in OrgIds.Where(orgId => !perRecipient.ContainsKey(Recipient(orgId))))
        {
            try
            {
                var page = await client.GetOrganization(orgId).ListNotificationsAsync(new NotificationQuery(10));
                lines.Add($"{orgId}: {page.Items.Count} notification(s): " + string.Join("; ", page.Items.Select(n =>
                    $"{n.Kind} {n.Status} recipients={n.RecipientCount} attempts={n.Attempts} last_error={n.LastError}")));
            }
            catch (Exception exception)
            {
                lines.Add($"{orgId}: the log could not be read ({exception.GetType().Name}: {exception.Message})");
            }
        }
        return string.Join('\n', lines);
    }

    private async Task<(Dictionary<string, int> PerRecipient, DateTimeOffset? Last)> ThresholdEmailsAsync(HashSet<string> recipients)
    {
        var perRecipient = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        DateTimeOffset? last = null;
        // The recipients follow nothing but their organization's outgoing errors: whatever reaches them is a threshold e-mail.
        foreach (var (message, time) in await deployment.Inbox.AllAsync())
        {
            foreach (var to in message.To.Where(recipients.Contains))
            {
                perRecipient[to] = perRecipient.GetValueOrDefault(to) + 1;
                if (last is null || time > last) last = time;
            }
        }
        return (perRecipient, last);
    }
}
