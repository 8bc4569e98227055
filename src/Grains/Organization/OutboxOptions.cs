namespace Alerts.Grains.Organization;

/// <summary>Configuration section <c>Alerts:Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Alerts:Outbox";

    /// <summary>
    /// How often an organization with pending notifications is woken by its reminder, so deliveries resume after
    /// a restart even if nothing else calls it. At least Orleans' minimum reminder period (one minute in production).
    /// </summary>
    public TimeSpan WakeUpPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a delivery worker may take over one pass before another may take the entry over (when the first
    /// silo died mid-pass). Long enough for a rate-limited relay to work through a queue.
    /// </summary>
    public TimeSpan PassLease { get; set; } = TimeSpan.FromMinutes(15);
}
