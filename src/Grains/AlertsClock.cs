namespace Alerts.Grains;

/// <summary>
/// The clock the product's rules read. It is a keyed <see cref="TimeProvider"/> rather than the silo's own,
/// so tests can move Alerts' time without freezing Orleans' internal timers.
/// </summary>
public static class AlertsClock
{
    public const string Key = "alerts";
}
