using Alerts.Grains.Stores;
using Alerts.Grains.Lifecycle;
using Alerts.Grains.Organization;

namespace Alerts.Grains.Lifecycle;

/// <summary>
/// How long an organization's error log keeps its days (<see cref="ErrorLogOptions.RetentionDays"/>): reports of earlier
/// days are refused, and a daily reminder deletes the days that fell out.
/// </summary>
internal sealed class LogRetention(IOrganizationHost host, ReminderTable reminders, IErrorLog errorLog, ErrorLogOptions options)
{
    private const string Reminder = "error-log-retention";

    public void RegisterReminders() => reminders.Handle(Reminder, TrimAsync);

    /// <summary>The first UTC day the error log keeps; reports of earlier days are refused (they could not be shown).</summary>
    public DateOnly FirstKeptDay(DateTimeOffset now) =>
        DateOnly.FromDateTime(now.UtcDateTime).AddDays(-options.RetentionDays + 1);

    /// <summary>Registers the daily reminder once per organization (remembered in the snapshot).</summary>
    public async Task ScheduleAsync()
    {
        if (host.State.RetentionScheduled) return;
        await reminders.SetAsync(Reminder, TimeSpan.FromHours(1), TimeSpan.FromDays(1));
        host.State.RetentionScheduled = true;
        await host.SaveAsync();
    }

    /// <summary>Deletes the log's days that just fell out of the retention period (a week of them, in case a tick was missed).</summary>
    private async Task TrimAsync()
    {
        var firstKept = FirstKeptDay(host.Now);
        for (var day = firstKept.AddDays(-7); day < firstKept; day = day.AddDays(1))
            await errorLog.DeleteDayAsync(host.OrgId, day);
    }
}
