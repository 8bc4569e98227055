namespace Alerts.IntegrationTests.Support;

/// <summary>Settings the fault tests give their silos, so what takes minutes in production takes seconds here.</summary>
public static class TestSettings
{
    /// <summary>Reminders may tick every second; an organization with pending e-mail wakes every 3 s.</summary>
    public static Dictionary<string, string> QuickReminders => new()
    {
        ["Alerts__Silo__MinimumReminderPeriod"] = "00:00:01",
        ["Alerts__Outbox__WakeUpPeriod"] = "00:00:03",
    };

    /// <summary>Quick reminders, and a killed silo declared dead within seconds.</summary>
    public static Dictionary<string, string> FastFailover => new(QuickReminders)
    {
        ["Alerts__Silo__FastFailureDetection"] = "true",
    };
}
