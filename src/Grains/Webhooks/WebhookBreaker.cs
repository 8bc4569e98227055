namespace Alerts.Grains.Webhooks;

/// <summary>What the owner of a subscription is told after an attempt (SPEC §6.3, and the warning of issue 10).</summary>
public enum BreakerNotice
{
    None = 0,
    /// <summary>The streak just reached <see cref="WebhookBreaker.WarnAt"/>: warned once.</summary>
    Warning = 1,
    /// <summary>The streak just reached <see cref="WebhookBreaker.DisableAt"/>: disabled.</summary>
    Disabled = 2,
    /// <summary>The first success after the subscription was enabled again.</summary>
    Recovered = 3,
}

/// <summary>A subscription's breaker state; see <see cref="WebhookBreaker"/>.</summary>
public sealed record BreakerState(
    bool Enabled,
    int ConsecutiveFailures,
    string? DisabledReason,
    DateTimeOffset? DisabledAt,
    bool Warned,
    bool ReEnabled)
{
    public static readonly BreakerState Fresh = new(true, 0, null, null, false, false);
}

/// <summary>
/// The consecutive-failure breaker of a webhook subscription, pure. Every failed attempt adds to the streak, a 2xx
/// resets it. At <see cref="WarnAt"/> the owner is warned once per streak; at <see cref="DisableAt"/> the subscription
/// is disabled with the last error and the time. Enabling it again (by hand, or by changing its URL) resets the
/// streak, and its first success after that is told to the owner.
/// </summary>
public static class WebhookBreaker
{
    public const int WarnAt = 3;
    public const int DisableAt = 6;

    public static (BreakerState State, BreakerNotice Notice) Attempted(BreakerState state, bool succeeded, string? error, DateTimeOffset now)
    {
        if (succeeded)
        {
            var recovered = state.ReEnabled && state.Enabled;
            return (state with { ConsecutiveFailures = 0, Warned = false, ReEnabled = false }, recovered ? BreakerNotice.Recovered : BreakerNotice.None);
        }
        var streak = state.ConsecutiveFailures + 1;
        if (state.Enabled && streak >= DisableAt)
            return (state with { Enabled = false, ConsecutiveFailures = streak, DisabledReason = error ?? "delivery failed", DisabledAt = now }, BreakerNotice.Disabled);
        if (state.Enabled && streak >= WarnAt && !state.Warned)
            return (state with { ConsecutiveFailures = streak, Warned = true }, BreakerNotice.Warning);
        return (state with { ConsecutiveFailures = streak }, BreakerNotice.None);
    }

    /// <summary>Enabled again by hand or by a new URL (SPEC §6.5): the streak starts over.</summary>
    public static BreakerState Enable(BreakerState state) =>
        new(true, 0, null, null, false, ReEnabled: !state.Enabled || state.ReEnabled);
}
