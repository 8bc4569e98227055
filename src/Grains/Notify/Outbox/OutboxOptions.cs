namespace Alerts.Grains.Notify;

/// <summary>Configuration section <c>Alerts:Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Alerts:Outbox";

    /// <summary>
    /// How often an outbox with pending notifications is woken by its reminder, so deliveries resume after a restart
    /// even if nothing else calls it. At least Orleans' minimum reminder period (one minute in production).
    /// </summary>
    public TimeSpan WakeUpPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A worker renews its lease at least this often while it sends or waits for the relay; a lease not renewed for this
    /// long, or held by a silo that left the cluster, may be taken over.
    /// </summary>
    public TimeSpan PassLease { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Pending notifications an organization keeps at most (a long relay outage); past it the oldest is given up, with
    /// the reason in the log. Bounds the outbox's state (about 2 KB an entry).
    /// </summary>
    public int MaxPending { get; set; } = 100;

    /// <summary>
    /// Delivery passes one silo runs at once (each holds a lease and waits for relay slots). Notifications handed over
    /// beyond it wait in the silo's queue, unleased: a digest round across thousands of organizations does not lease
    /// thousands of entries that the relay limit will only reach hours later, nor renew all their leases meanwhile.
    /// </summary>
    public int MaxPassesPerSilo { get; set; } = 64;

    /// <summary>
    /// Of those, the passes one organization may run at once on a silo: the rest of its notifications wait their turn, so
    /// one tenant's burst (hundreds of platform events) leaves places for everyone else's alerts. The relay's limit is
    /// shared between organizations in turn anyway, so more passes would not send one organization's mail faster.
    /// </summary>
    public int MaxPassesPerOrganization { get; set; } = 8;
}

/// <summary>
/// Configuration section <c>Alerts:Email</c> as the cluster-wide relay limit reads it: at most
/// <see cref="MaxMessagesPerWindow"/> messages per <see cref="RateWindow"/> from all silos together.
/// </summary>
public sealed class RelayLimitOptions
{
    public const string Section = "Alerts:Email";

    /// <summary>0: no limit.</summary>
    public int MaxMessagesPerWindow { get; set; } = 30;

    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(1);
}
