using Alerts.Contracts;
using Alerts.Grains.Organization;
using Alerts.Grains.Projection;

namespace Alerts.Grains.Dashboard;

/// <summary>
/// The organization's index of its integrations' tracked errors, for the dashboard's failures table: built once per
/// activation from the integrations (one call each, on the table's first request), then kept in step by the projection
/// — each integration answers a round's deltas with the errors they changed and those it no longer keeps — and by
/// resolutions by hand. In memory only, let go after <see cref="IdleAfter"/> without a request; at most
/// <see cref="MaxRows"/> errors, the most recently seen (the table shows errors seen in the last 30 days at most).
/// </summary>
internal sealed class FailureIndex(IOrganizationHost host, Members members, Func<Task> catchUp) : ITrackedErrorChanges
{
    public const int MaxRows = 10_000;
    public static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(10);

    private Dictionary<string, ErrorView>? _rows;
    /// <summary>Per integration, the last commit its rows here include: an answer older than that changes nothing.</summary>
    private readonly Dictionary<string, long> _through = new(StringComparer.Ordinal);
    /// <summary>Answers that came while the index was being built, applied once it is.</summary>
    private List<(string IntegrationId, ApplyAnswer Answer)>? _arrivedWhileBuilding;
    private Task? _building;
    private DateTimeOffset _lastUse;

    public bool Wanted => _rows is not null || _arrivedWhileBuilding is not null;

    /// <summary>Whether the index is held now.</summary>
    public bool Built => _rows is not null;

    public void Apply(string integrationId, ApplyAnswer answer)
    {
        if (_arrivedWhileBuilding is { } waiting) waiting.Add((integrationId, answer));
        else if (_rows is not null) Merge(integrationId, answer.AppliedThrough, answer.Changed, answer.Gone);
    }

    /// <summary>An error resolved by hand (the integration wrote it at once).</summary>
    public void Resolved(ErrorView error)
    {
        // No commit position: a resolution by hand applies whatever the index holds (-1 marks that).
        if (_arrivedWhileBuilding is { } waiting) waiting.Add((error.IntegrationId, new ApplyAnswer(true, -1, [error], [])));
        else if (_rows is not null && _rows.ContainsKey(error.Id)) _rows[error.Id] = error;
    }

    /// <summary>Lets the index go when no request used it for <see cref="IdleAfter"/> (the snapshot timer). True when it did.</summary>
    public bool ReleaseIfIdle()
    {
        if (_rows is null || _building is { IsCompleted: false } || host.Now - _lastUse < IdleAfter) return false;
        _rows = null;
        _through.Clear();
        return true;
    }

    /// <summary>
    /// The tracked errors grouped by integration, as the dashboard's math reads them, after the reports acknowledged so
    /// far are projected; a retrying error whose window has closed by now shows as open, as its integration would.
    /// </summary>
    public async Task<IReadOnlyList<IntegrationActivity>> ActivityAsync()
    {
        _lastUse = host.Now;
        await catchUp();
        if (_rows is null)
        {
            // One build for concurrent requests; a failed one is tried again by the next request.
            if (_building is not { IsCompleted: false }) _building = BuildAsync();
            await _building;
        }
        var now = host.Now;
        return _rows!.Values
            .GroupBy(error => error.IntegrationId, StringComparer.Ordinal)
            .Where(group => members.Integrations.ContainsKey(group.Key))
            .Select(group =>
            {
                var profile = members.Integrations[group.Key];
                return new IntegrationActivity(group.Key, profile.Name, profile.Type, [], group.Select(error => AsOf(error, now)).ToList(), []);
            })
            .ToList();
    }

    private static ErrorView AsOf(ErrorView error, DateTimeOffset now) =>
        error is { Status: ErrorStatus.Retrying, RetryUntil: { } until } && until <= now
            ? error with { Status = ErrorStatus.Open, OpenedAt = until, RetryUntil = null }
            : error;

    private async Task BuildAsync()
    {
        _arrivedWhileBuilding = [];
        try
        {
            var asOf = host.Now;
            var ids = members.Integrations.Keys.ToList();
            var snapshots = await Task.WhenAll(ids.Select(id =>
                host.GrainFactory.GetGrain<IIntegrationErrors>(GrainKeys.Integration(host.OrgId, id)).ErrorSnapshotAsync(asOf)));
            _rows = new Dictionary<string, ErrorView>(StringComparer.Ordinal);
            _through.Clear();
            for (var i = 0; i < ids.Count; i++) Merge(ids[i], snapshots[i].AppliedThrough, snapshots[i].Errors, []);
            foreach (var (integrationId, answer) in _arrivedWhileBuilding) Merge(integrationId, answer.AppliedThrough, answer.Changed, answer.Gone);
        }
        catch
        {
            _rows = null;
            throw;
        }
        finally
        {
            _arrivedWhileBuilding = null;
        }
    }

    private void Merge(string integrationId, long through, IReadOnlyList<ErrorView> changed, IReadOnlyList<string> gone)
    {
        if (through >= 0)
        {
            if (through < _through.GetValueOrDefault(integrationId)) return;
            _through[integrationId] = through;
        }
        foreach (var error in changed) _rows![error.Id] = error;
        foreach (var id in gone) _rows!.Remove(id);
        if (_rows!.Count <= MaxRows) return;
        // Past the bound, the least recently seen go (a tenth at once, so that trimming is rare).
        foreach (var error in _rows.Values.OrderBy(error => error.LastSeen).Take(_rows.Count - MaxRows * 9 / 10).ToList()) _rows.Remove(error.Id);
    }
}
