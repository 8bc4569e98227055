namespace Alerts.Grains.Organization;

/// <summary>
/// The organization's reminders: a table from each reminder's name to the part that handles it (registered when the
/// part is built), and every change of a reminder made one at a time, each computed from the state as it is at its
/// turn: a check-then-unregister cannot remove a reminder another call has just registered.
/// </summary>
internal sealed class ReminderTable(Grain grain)
{
    private readonly Dictionary<string, Func<Task>> _handlers = new(StringComparer.Ordinal);
    private readonly OneAtATime _changes = new();

    /// <summary>Names the part that handles <paramref name="name"/>'s ticks.</summary>
    public void Handle(string name, Func<Task> handler) => _handlers.Add(name, handler);

    /// <summary>Runs the handler of a tick; a name nobody handles (a reminder of an older version) is ignored.</summary>
    public Task DispatchAsync(string name) => _handlers.TryGetValue(name, out var handler) ? handler() : Task.CompletedTask;

    /// <summary>Registers (or moves) a reminder unconditionally.</summary>
    public Task SetAsync(string name, TimeSpan due, TimeSpan period) =>
        _changes.RunAsync(() => grain.RegisterOrUpdateReminder(name, due, period));

    /// <summary>
    /// Brings a reminder in line with <paramref name="plan"/>, asked at this change's turn: registered when it gives a due
    /// time and period, removed when it gives none.
    /// </summary>
    public Task SyncAsync(string name, Func<(TimeSpan Due, TimeSpan Period)?> plan) => _changes.RunAsync(async () =>
    {
        if (plan() is { } wanted)
        {
            await grain.RegisterOrUpdateReminder(name, wanted.Due, wanted.Period);
            return;
        }
        var existing = await grain.GetReminder(name);
        if (existing is not null) await grain.UnregisterReminder(existing);
    });
}
