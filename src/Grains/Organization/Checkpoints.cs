using Alerts.Grains.Intake;
using Alerts.Grains.Stores;
using Alerts.Grains.Projection;

namespace Alerts.Grains.Organization;

/// <summary>
/// The snapshot's writes. At once when a decision or a setting must be durable; lazily, as a checkpoint, after
/// <see cref="JournalOptions.SnapshotEveryCommits"/> commits or on the snapshot timer — the integrations first write
/// what they were sent, then the snapshot records that position as projected —; and behind each write, now and then,
/// the journal commits it covers are trimmed once their event ids may be forgotten.
/// </summary>
internal sealed class Checkpoints(
    IPersistentState<OrganizationState> state, IOrganizationHost host, ProjectionPump projection, IJournal journal,
    JournalOptions options, Action deactivate)
{
    private int _changesSinceSave;
    private Task? _running;
    private DateTimeOffset _lastTrim;

    /// <summary>Memory is ahead of the snapshot (commits counted, digests handed over, integrations not yet flushed).</summary>
    public bool Behind => _changesSinceSave > 0 || projection.HasUnflushed;

    public void MarkDirty() => _changesSinceSave++;

    /// <summary>Starts a checkpoint in the background once enough commits were counted since the last write.</summary>
    public void CheckpointIfDue()
    {
        if (_changesSinceSave >= options.SnapshotEveryCommits) _ = CheckpointAsync();
    }

    /// <summary>The snapshot timer's tick: a checkpoint if anything waits for one.</summary>
    public Task OnTimerAsync() => Behind || projection.HasLagging ? CheckpointAsync() : Task.CompletedTask;

    /// <summary>
    /// Writes the snapshot. A failed write leaves memory ahead of storage, so the activation is dropped and the next
    /// call reloads the snapshot and replays the journal.
    /// </summary>
    public async Task SaveAsync()
    {
        _changesSinceSave = 0;
        // What this write covers at least (a merged write may cover more): the journal may be trimmed up to it.
        var covered = Math.Min(host.State.JournalPosition, host.State.ProjectedThrough);
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception exception)
        {
            Log.WriteFailed(host.Logger, exception, host.OrgId);
            deactivate();
            throw;
        }
        AfterSave(covered);
    }

    /// <summary>A lazy snapshot. One at a time: a checkpoint asked for while one runs is the running one.</summary>
    public Task CheckpointAsync()
    {
        if (_running is { IsCompleted: false } running) return running;
        _changesSinceSave = 0;
        return _running = RunAsync();
    }

    /// <summary>Failures are logged: the journal still holds everything, and the next checkpoint tries again.</summary>
    private async Task RunAsync()
    {
        try
        {
            var projected = await projection.FlushAsync();
            if (projected > host.State.ProjectedThrough) host.State.ProjectedThrough = projected;
        }
        catch (Exception exception)
        {
            // The snapshot still saves the counts; the projected position waits for the next checkpoint.
            Log.SnapshotFailed(host.Logger, exception, host.OrgId);
        }
        try
        {
            await SaveAsync();
        }
        catch (Exception exception)
        {
            Log.SnapshotFailed(host.Logger, exception, host.OrgId);
        }
    }

    /// <summary>After a snapshot: commits it covers (and projected) leave the journal once their ids may be forgotten.</summary>
    private void AfterSave(long covered)
    {
        var now = host.Now;
        if (now - _lastTrim < TimeSpan.FromMinutes(1)) return;
        _lastTrim = now;
        _ = TrimJournalAsync(covered, now - options.DeduplicationWindow);
    }

    private async Task TrimJournalAsync(long through, DateTimeOffset writtenBefore)
    {
        try
        {
            await journal.TrimAsync(ReportIntake.StreamOf(host.OrgId), through, writtenBefore);
        }
        catch (Exception exception)
        {
            Log.TrimFailed(host.Logger, exception, host.OrgId);
        }
    }
}
