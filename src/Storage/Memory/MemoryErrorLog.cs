using System.Collections.Concurrent;
using Alerts.Contracts;
using Alerts.Grains.Stores;
using Alerts.Grains.Lifecycle;

namespace Alerts.Storage.Memory;

/// <summary>
/// The error log in process memory, for the fast unit tests and the memory benchmark (Alerts:Storage:Provider = Memory).
/// Appends are a queue push; readers keep the last copy of an event appended twice, as the table's upserts do.
/// </summary>
public sealed class MemoryErrorLog : IErrorLog
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<LoggedError>> _byOrg = new(StringComparer.Ordinal);

    public Task AppendAsync(string orgId, IReadOnlyList<LoggedBatch> batches, CancellationToken cancellationToken = default)
    {
        var log = _byOrg.GetOrAdd(orgId, _ => new ConcurrentQueue<LoggedError>());
        foreach (var error in batches.SelectMany(batch => batch.Errors)) log.Enqueue(LoggedError.Of(error));
        return Task.CompletedTask;
    }

    public IAsyncEnumerable<LoggedError> ReadAsync(string orgId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        var latest = new Dictionary<(string, string), LoggedError>();
        foreach (var row in _byOrg.GetValueOrDefault(orgId) ?? new ConcurrentQueue<LoggedError>())
            latest[(row.IntegrationId, row.Detail.EventId)] = row;
        return latest.Values
            .Where(row => row.Detail.OccurredAt >= since && row.Detail.OccurredAt < until)
            .OrderBy(row => row.Detail.OccurredAt)
            .ThenBy(row => row.IntegrationId, StringComparer.Ordinal)
            .ThenBy(row => row.Detail.EventId, StringComparer.Ordinal)
            .ToAsyncEnumerable();
    }

    public Task DeleteDayAsync(string orgId, DateOnly day, CancellationToken cancellationToken = default)
    {
        if (_byOrg.TryGetValue(orgId, out var log))
        {
            var kept = new ConcurrentQueue<LoggedError>(log.Where(row => DateOnly.FromDateTime(row.Detail.OccurredAt.UtcDateTime) != day));
            _byOrg[orgId] = kept;
        }
        return Task.CompletedTask;
    }
}
