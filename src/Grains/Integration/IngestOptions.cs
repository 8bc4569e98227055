namespace Alerts.Grains.Integration;

/// <summary>Configuration section <c>Alerts:Ingest</c>.</summary>
public sealed class IngestOptions
{
    public const string Section = "Alerts:Ingest";

    /// <summary>How many recent event ids each integration remembers to count a re-reported event once.</summary>
    public int EventIdMemory { get; set; } = 10_000;

    /// <summary>How many of its latest errors an integration shows in its own view.</summary>
    public int RecentErrorsShown { get; set; } = 20;

    /// <summary>How soon a batch is sent again when its organization could not count it (a reminder; survives restarts).</summary>
    public TimeSpan ForwardRetryPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
