namespace Alerts.Grains.Lifecycle;

/// <summary>Configuration section <c>Alerts:Digest</c> (SPEC §3.3).</summary>
public sealed class DigestOptions
{
    public const string Section = "Alerts:Digest";

    /// <summary>
    /// How often each organization's digest round runs. Down to a minute in production (Orleans' shortest reminder);
    /// lower only with a lower <c>Alerts:Silo:MinimumReminderPeriod</c> (tests).
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Details listed per section at most; the rest are counted ("and 1,234 more") and linked.</summary>
    public int MaxDetails { get; set; } = DigestPolicy.DefaultMaxDetails;

    /// <summary>The HTTP API as recipients reach it, for the link to an organization's errors (none when empty).</summary>
    public string? PublicApiUrl { get; set; } = "http://127.0.0.1:5080";
}
