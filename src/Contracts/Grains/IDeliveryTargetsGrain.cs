namespace Alerts.Contracts;

/// <summary>
/// An organization's delivery targets (issue 22, item 1): Slack, Teams and signed-JSON URLs that notifications go to
/// beside e-mail — a user's own (they get what the user is subscribed to) and the organization's shared ones (they get
/// the events they follow). Keyed by the organization's id. A target that fails six times in a row is disabled and its
/// owner told by e-mail; enabling it starts over.
/// </summary>
public interface IDeliveryTargetsGrain : IGrainWithStringKey
{
    /// <summary>Adds a target; an invalid spec is an <see cref="ArgumentException"/> naming the field.</summary>
    Task<TargetWithSecret> CreateAsync(TargetSpec spec);

    /// <summary>The organization's targets, or one user's (<paramref name="userId"/>), oldest first.</summary>
    Task<IReadOnlyList<TargetView>> ListAsync(string? userId);

    Task<TargetView?> GetAsync(string targetId);

    /// <summary>True when it was there.</summary>
    Task<bool> DeleteAsync(string targetId);

    /// <summary>Enabled again after its breaker disabled it; null when there is no such target.</summary>
    Task<TargetView?> EnableAsync(string targetId);

    /// <summary>A test notification to this one target through the outbox; its notification id, or null when there is no such target.</summary>
    Task<string?> SendTestAsync(string targetId);

    /// <summary>A user was deleted: their targets go too.</summary>
    Task RemoveUserAsync(string userId);
}
