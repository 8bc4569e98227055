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
/// The cluster-wide limits of the relays channels send through: the e-mail relay's from section <c>Alerts:Email</c>
/// (at most <see cref="MaxMessagesPerWindow"/> messages per <see cref="RateWindow"/> from all silos together), any other
/// channel's relay from <c>Alerts:Email:Relays:{name}</c> (none when not configured).
/// </summary>
public sealed class RelayLimitOptions
{
    public const string Section = "Alerts:Email";

    /// <summary>The e-mail relay's name (its <see cref="IRelayLimiter"/> key).</summary>
    public const string EmailRelay = "smtp";

    /// <summary>0: no limit.</summary>
    public int MaxMessagesPerWindow { get; set; } = 30;

    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Limits of other channels' relays, by relay name.</summary>
    public Dictionary<string, RelayLimit> Relays { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The limit of a relay: the e-mail relay's, a configured one, or none.</summary>
    public RelayLimit For(string relay) =>
        relay == EmailRelay ? new RelayLimit { MaxMessagesPerWindow = MaxMessagesPerWindow, RateWindow = RateWindow }
        : Relays.TryGetValue(relay, out var limit) ? limit
        : new RelayLimit { MaxMessagesPerWindow = 0 };
}

/// <summary>One relay's limit: at most this many messages per window, paced evenly (0: no limit).</summary>
public sealed class RelayLimit
{
    public int MaxMessagesPerWindow { get; set; }

    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(1);
}
