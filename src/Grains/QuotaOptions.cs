using System.ComponentModel.DataAnnotations;
using Alerts.Contracts;

namespace Alerts.Grains;

/// <summary>
/// Configuration section <c>Alerts:Quotas</c>: how much one organization may hold and cause. Defaults are sized for the
/// largest tenants the product supports; each is a ceiling that keeps one tenant from hurting the others (and keeps the
/// grains' stored state within its stated bound), not a plan limit.
/// </summary>
public sealed class QuotaOptions
{
    public const string Section = "Alerts:Quotas";

    [Range(1, 100_000)] public int Users { get; set; } = 10_000;

    [Range(1, 100_000)] public int Integrations { get; set; } = 5_000;

    [Range(1, 100_000)] public int Connections { get; set; } = 5_000;

    /// <summary>At most <see cref="WebhookRules.MaxSubscriptionsPerOrganization"/> (the registry's stored bound).</summary>
    [Range(1, WebhookRules.MaxSubscriptionsPerOrganization)] public int Webhooks { get; set; } = WebhookRules.MaxSubscriptionsPerOrganization;

    /// <summary>Mute windows not yet over, at most 20 (the organization snapshot's stated bound; 20 more that ended are kept for their audit trail).</summary>
    [Range(1, 20)] public int Mutes { get; set; } = 20;

    /// <summary>Delivery targets (chat and signed-JSON), shared and users' together: at most 100 (the targets grain's stored bound).</summary>
    [Range(1, 100)] public int Targets { get; set; } = 50;

    /// <summary>At most 100 (the key ring's stored bound).</summary>
    [Range(1, 100)] public int Keys { get; set; } = 100;

    /// <summary>
    /// Platform events that e-mail their recipients one by one, per organization and <see cref="PlatformEventEmailWindow"/>;
    /// the rest of the window's events are told in one summary when it ends (webhooks get every event regardless). 0
    /// sends only summaries.
    /// </summary>
    [Range(0, 100_000)] public int PlatformEventEmails { get; set; } = 60;

    /// <summary>The window of <see cref="PlatformEventEmails"/>: a clock hour. Below a minute only with a lower <c>Alerts:Silo:MinimumReminderPeriod</c> (tests).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")] public TimeSpan PlatformEventEmailWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The refusal when an organization is at a quota: a 409 naming <c>quota.{name}</c>, its value and the setting that
    /// raises it.
    /// </summary>
    public static ArgumentException Reached(string name, int limit, string what) =>
        ProfileRules.Invalid($"quota.{name}",
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"reached: an organization has at most {limit:N0} {what} (Alerts:Quotas:{char.ToUpperInvariant(name[0])}{name[1..]}); remove one first"));

    /// <summary>
    /// Writes a row; a new one only while the quota has room, counting the new rows still being written (the grains are
    /// reentrant, so two creations can overlap).
    /// </summary>
    public static async Task WithinAsync(HashSet<string> adding, string id, bool isNew, int stored, int limit, string name, Func<Task> write)
    {
        var added = isNew && adding.Add(id);
        if (added && stored + adding.Count > limit)
        {
            adding.Remove(id);
            throw Reached(name, limit, name);
        }
        try
        {
            await write();
        }
        finally
        {
            if (added) adding.Remove(id);
        }
    }
}
