using Alerts.Contracts;

namespace Alerts.Grains.Targets;

/// <summary>Where a target posts and how, as its channel reads it right before a send (not part of the public contract).</summary>
[GenerateSerializer, Immutable, Alias("alerts.target-address")]
public sealed record TargetAddress(
    [property: Id(0)] TargetType Type,
    [property: Id(1)] string Url,
    [property: Id(2)] string? Secret,
    [property: Id(3)] bool Enabled);

/// <summary>A target that receives a notification: its recipient key, and the user it belongs to (null: shared).</summary>
[GenerateSerializer, Immutable, Alias("alerts.target-recipient")]
public sealed record TargetRecipient(
    [property: Id(0)] string? UserId,
    [property: Id(1)] string Key);

/// <summary>The delivery side of an organization's targets: who receives what, the address at send time, and each result.</summary>
public interface ITargetDelivery : IGrainWithStringKey
{
    /// <summary>
    /// The enabled targets that get a notification for <paramref name="audience"/>: those of
    /// <paramref name="subscribedUsers"/> (users subscribed to it) and the shared ones following it.
    /// Interleaves with anything (it only reads): a decision being handed over never waits behind a target being
    /// created (whose URL check resolves a host name).
    /// </summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<TargetRecipient>> RecipientsAsync(IReadOnlyList<string> subscribedUsers, string audience);

    /// <summary>The target's URL and secret now (a changed or deleted target applies to what is still pending); null when gone.</summary>
    [AlwaysInterleave]
    Task<TargetAddress?> ResolveAsync(string targetId);

    /// <summary>One send's result: the breaker's step (six failures in a row disable the target and tell its owner).</summary>
    Task AttemptedAsync(string targetId, bool succeeded, string? failure, int? status);
}
