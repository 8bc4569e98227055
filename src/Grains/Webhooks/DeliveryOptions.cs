namespace Alerts.Grains.Webhooks;

/// <summary>Configuration section <c>Alerts:Delivery</c>: webhook deliveries (SPEC §6).</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Alerts:Delivery";

    /// <summary>
    /// Lets webhooks go to loopback addresses (127.0.0.0/8, ::1): local development and tests only. Link-local, private and
    /// metadata addresses are refused whatever this says (SPEC §6.6).
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>How long one attempt may take, connection to last byte of the reply.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The back-off after the first failure; it doubles after each (with ±20% jitter).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = WebhookRetrySchedule.FirstDelay;

    /// <summary>The longest wait between two attempts (a <c>Retry-After</c> too).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = WebhookRetrySchedule.MaxDelay;

    /// <summary>After this long since its first attempt a failing message is exhausted.</summary>
    public TimeSpan GiveUpAfter { get; set; } = WebhookRetrySchedule.GiveUpAfter;

    /// <summary>
    /// The least time between two messages sent to one subscription back to back (real time): a receiver that is back
    /// after an outage gets its backlog paced, not all at once. Messages go one at a time anyway.
    /// </summary>
    public TimeSpan Pace { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// After a failed attempt the subscription sends nothing for the failed message's back-off, but at most this long
    /// (a <c>Retry-After</c> is waited out whole): a short outage during a burst costs one or two failures, not six, and a
    /// receiver that is back is noticed within this long by the next event.
    /// </summary>
    public TimeSpan PauseAfterFailure { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Short waits (under <see cref="WakeUpPeriod"/>) are kept by a timer checking this often.</summary>
    public TimeSpan TimerResolution { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A subscription with messages waiting keeps a reminder this often, so retries survive restarts.</summary>
    public TimeSpan WakeUpPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Messages a subscription keeps waiting at most (bounds its state); past it the oldest is dropped and logged.</summary>
    public int MaxPending { get; set; } = 1000;

    /// <summary>How long the delivery log keeps attempts and message bodies (waiting messages are always kept); trimmed daily.</summary>
    public TimeSpan LogRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Where the admin UI lives: e-mails and in-app notifications link to a subscription's page there.</summary>
    public string AdminUiUrl { get; set; } = "http://127.0.0.1:5080/ui";
}
