using System.Collections.Concurrent;
using Alerts.Contracts;
using Alerts.Grains.ErrorLog;

namespace Alerts.Silo.ErrorLog;

/// <summary>The error log in process memory, for the fast unit tests (Alerts:Storage:Provider = Memory).</summary>
public sealed class MemoryErrorLog : IErrorLog
{
    private readonly ConcurrentDictionary<(string Org, string Integration, string EventId), ErrorDetail> _rows = new();

    public Task AppendAsync(string orgId, string integrationId, IReadOnlyList<ErrorDetail> errors, CancellationToken cancellationToken = default)
    {
        foreach (var error in errors) _rows[(orgId, integrationId, error.EventId)] = error;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<LoggedError>> ReadAsync(string orgId, DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LoggedError>>(_rows
            .Where(row => row.Key.Org == orgId && row.Value.OccurredAt >= since && row.Value.OccurredAt < until)
            .Select(row => new LoggedError(row.Key.Integration, row.Value))
            .OrderBy(row => row.Detail.OccurredAt)
            .Take(limit)
            .ToList());

    public Task DeleteDayAsync(string orgId, DateOnly day, CancellationToken cancellationToken = default)
    {
        foreach (var key in _rows.Where(row => row.Key.Org == orgId && DateOnly.FromDateTime(row.Value.OccurredAt.UtcDateTime) == day).Select(row => row.Key).ToList())
            _rows.TryRemove(key, out _);
        return Task.CompletedTask;
    }
}
