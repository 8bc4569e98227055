namespace Alerts.Grains.Lifecycle;

/// <summary>Configuration section <c>Alerts:ErrorLog</c>.</summary>
public sealed class ErrorLogOptions
{
    public const string Section = "Alerts:ErrorLog";

    /// <summary>
    /// Days of error details kept: 30 for CSV exports and the dashboard's longest period, plus 30 more so the
    /// dashboard can compare a 30-day period with the one before it.
    /// </summary>
    public int RetentionDays { get; set; } = 60;
}
