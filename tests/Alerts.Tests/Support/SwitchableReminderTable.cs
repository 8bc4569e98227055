using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Alerts.Tests.Support;

/// <summary>
/// The test cluster's reminder table, whose reads and writes for chosen grains can be made to fail like a reminder
/// service whose silo just died (or whose table is unreachable).
/// </summary>
public sealed class SwitchableReminderTable(IReminderTable inner) : IReminderTable
{
    /// <summary>Grains (by the text of their id) whose reminders cannot be read or written now.</summary>
    public static readonly ConcurrentDictionary<string, bool> Unreachable = new(StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<string, int> Failures = new(StringComparer.Ordinal);

    /// <summary>How many reminder calls for the grain failed.</summary>
    public static int FailuresFor(GrainId grain) => Failures.GetValueOrDefault(grain.ToString());

    /// <summary>Replaces the silo's reminder table with this wrapper around it.</summary>
    public static void Decorate(IServiceCollection services) => Support.Decorate.Service<IReminderTable>(services, inner => new SwitchableReminderTable(inner));

    private static void ThrowIfUnreachable(GrainId grain)
    {
        var key = grain.ToString();
        if (!Unreachable.ContainsKey(key)) return;
        Failures.AddOrUpdate(key, 1, (_, count) => count + 1);
        throw new IOException("the reminder table is unreachable (test)");
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable(grainId);
        return inner.ReadRows(grainId, cancellationToken);
    }

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => inner.ReadRows(begin, end);

    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken) => inner.ReadRows(begin, end, cancellationToken);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => ReadRow(grainId, reminderName, CancellationToken.None);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable(grainId);
        return inner.ReadRow(grainId, reminderName, cancellationToken);
    }

    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    public Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable(entry.GrainId);
        return inner.UpsertRow(entry, cancellationToken);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable(grainId);
        return inner.RemoveRow(grainId, reminderName, eTag, cancellationToken);
    }

    public Task TestOnlyClearTable() => inner.TestOnlyClearTable();

    public Task TestOnlyClearTable(CancellationToken cancellationToken) => inner.TestOnlyClearTable(cancellationToken);
}
