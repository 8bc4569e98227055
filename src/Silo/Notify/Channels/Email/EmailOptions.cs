using System.ComponentModel.DataAnnotations;

namespace Alerts.Silo.Notify.Email;

/// <summary>Configuration section <c>Alerts:Email</c>: the SMTP relay and the sender address.</summary>
public sealed class EmailOptions
{
    public const string Section = "Alerts:Email";

    [Required] public string SmtpHost { get; set; } = "127.0.0.1";

    [Range(1, 65535)] public int SmtpPort { get; set; } = 1025;

    /// <summary><c>None</c> (plain, for a local inbox), <c>StartTlsWhenAvailable</c>, <c>StartTls</c> or <c>SslOnConnect</c>.</summary>
    public MailKit.Security.SecureSocketOptions Security { get; set; } = MailKit.Security.SecureSocketOptions.None;

    /// <summary>SMTP AUTH user; empty for relays that need none.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The no-reply sender, e.g. <c>Alerts &lt;no-reply@alerts.example.com&gt;</c>.</summary>
    [Required] public string From { get; set; } = "Alerts <no-reply@alerts.local>";

    [Range(1, 600)] public int TimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// At most this many messages per <see cref="RateWindow"/> through the relay, from all silos together (relays
    /// commonly allow about 30 a minute; the cluster-wide <c>RelayLimiterGrain</c> hands out the slots). Over the cap,
    /// messages wait; none is dropped. 0: no cap.
    /// </summary>
    [Range(0, 10_000)] public int MaxMessagesPerWindow { get; set; } = 30;

    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A connection unused for this long is closed and opened again on the next message.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
