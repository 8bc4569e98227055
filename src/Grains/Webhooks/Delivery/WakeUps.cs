namespace Alerts.Grains.Webhooks.Delivery;

/// <summary>
/// When a subscription's sending loop runs again: the wake-up reminder while anything waits (so a restart resumes it),
/// and a timer while the next attempt is sooner than the reminder's next tick. The reminder table is touched only when
/// whether anything waits changes.
/// </summary>
internal sealed class WakeUps(Grain grain, IWebhookHost host, Func<Task> onTimer)
{
    public const string Reminder = "webhook-wake-up";

    private readonly OneAtATime _changes = new();
    private IGrainTimer? _timer;

    /// <summary>Whether the reminder is registered, as far as this activation knows (null: not asked yet).</summary>
    private bool? _registered;

    /// <summary>Arms the reminder and, when <paramref name="next"/> is soon, the timer; disarms the timer otherwise.</summary>
    public async Task ArmAsync(DateTimeOffset? next)
    {
        await SyncReminderAsync();
        var soon = next is { } at && at - host.Now < host.Options.WakeUpPeriod;
        if (soon && _timer is null)
        {
            _timer = grain.RegisterGrainTimer(_ => onTimer(), new GrainTimerCreationOptions
            {
                DueTime = host.Options.TimerResolution,
                Period = host.Options.TimerResolution,
                Interleave = true,
            });
        }
        else if (!soon && _timer is not null)
        {
            StopTimer();
        }
    }

    public void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    /// <summary>The reminder is wanted while anything waits (a message or an owner notice).</summary>
    public Task SyncReminderAsync() => _changes.RunAsync(async () =>
    {
        var state = host.State;
        var wanted = state.Exists && (state.Waiting.Count > 0 || state.Notices.Count > 0);
        if (_registered == wanted) return;
        if (wanted)
        {
            await grain.RegisterOrUpdateReminder(Reminder, host.Options.WakeUpPeriod, host.Options.WakeUpPeriod);
        }
        else if (await grain.GetReminder(Reminder) is { } existing)
        {
            await grain.UnregisterReminder(existing);
        }
        _registered = wanted;
    });
}
