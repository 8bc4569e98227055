namespace Alerts.Grains.Connections;

/// <summary>Configuration section <c>Alerts:Connections</c> (SPEC §4).</summary>
public sealed class ConnectionOptions
{
    public const string Section = "Alerts:Connections";

    /// <summary>Changes within this long after a notice are held and end in one notice with the final state.</summary>
    public TimeSpan HoldPeriod { get; set; } = ConnectionPolicy.DefaultHold;
}
