using System.ComponentModel.DataAnnotations;

namespace Alerts.Silo.Notify.Exports;

/// <summary>Configuration section <c>Alerts:Export</c>: the CSV files linked from threshold e-mails.</summary>
public sealed class ExportOptions
{
    public const string Section = "Alerts:Export";

    /// <summary>Blob container for the CSV files (private: they are read through signed links only).</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string Container { get; set; } = "alerts-exports";

    /// <summary>How long a link works after it is issued (SPEC §2.5: 24 hours).</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>At most this many rows per CSV; the e-mail says when there were more.</summary>
    [Range(1, 10_000_000)] public int MaxRows { get; set; } = 100_000;

    /// <summary>
    /// The blob endpoint as recipients' browsers reach it, e.g. <c>https://files.example.com/devstoreaccount1</c>,
    /// when it differs from the one in the connection string (a proxy, a public host name). Empty: use the latter.
    /// </summary>
    public string? PublicBlobBaseUrl { get; set; }
}
