using Alerts.Contracts;

namespace Alerts.Grains.Organization;

/// <summary>How an integration grain registers itself with its organization (not part of the public contract).</summary>
public interface IIntegrationCatalog : IGrainWithStringKey
{
    /// <summary>Adds or updates an integration in the organization's directory. False when the organization does not exist.</summary>
    Task<bool> RegisterIntegrationAsync(string integrationId, IntegrationProfile profile);

    /// <summary>Returns once every report acknowledged so far has reached the integration grains and the error log.</summary>
    Task CatchUpAsync();
}

/// <summary>A digest round as the digest reminder runs it (tests and the benchmark call it too).</summary>
public interface IDigestRound : IGrainWithStringKey
{
    Task RunDigestAsync();
}

/// <summary>Whether an organization holds its users in memory, and letting them go as its snapshot timer does (tests call it).</summary>
public interface IOrganizationMemory : IGrainWithStringKey
{
    [ReadOnly]
    Task<bool> UsersLoadedAsync();

    /// <summary>Lets the users go if nothing used them for a while; true when it did.</summary>
    Task<bool> ReleaseIdleUsersAsync();
}

/// <summary>The dashboard's counts and failures as the organization keeps them (organization's dashboard → organization; not public).</summary>
public interface IOrganizationActivity : IGrainWithStringKey
{
    /// <summary>Attempts per type and UTC day; null when the organization does not exist or has not built its roll-up yet.</summary>
    [ReadOnly]
    Task<IReadOnlyList<Dashboard.TypeActivity>?> ActivityByTypeAsync();

    /// <summary>A page of the failures table from the organization's index of tracked errors; null when it does not exist.</summary>
    Task<FailurePage?> FailuresAsync(FailureQuery query);
}

/// <summary>The threshold decision as the cooldown reminder runs it (tests call it too).</summary>
public interface IThresholdEvaluation : IGrainWithStringKey
{
    Task EvaluateThresholdsAsync();
}

/// <summary>
/// What an organization hands its integration grains after its commits: their share of them. Applied in memory at
/// once and written lazily: the organization asks for a <see cref="FlushAsync"/> before its snapshot counts them as
/// projected, and replays the journal after that position if a silo dies in between.
/// </summary>
public interface IIntegrationProjection : IGrainWithStringKey
{
    /// <summary>
    /// Applies each delta whose commit is after the last one applied (the rest were applied before).
    /// <paramref name="previous"/> is the organization's last commit sent here before these, or a position every earlier
    /// one is known to be stored at. Returns false, applying nothing, when that is after what this integration holds:
    /// it lost deltas it had not written yet, and the organization re-sends them from the journal. With
    /// <paramref name="withChanges"/>, the answer carries the tracked errors the deltas changed (the organization keeps an
    /// index of them for the dashboard).
    /// </summary>
    Task<ApplyAnswer> ApplyAsync(long previous, IReadOnlyList<IntegrationDelta> deltas, bool withChanges);

    /// <summary>Writes what was applied; returns the last commit now stored.</summary>
    Task<long> FlushAsync();

    /// <summary>The last commit applied (stored or not).</summary>
    [ReadOnly]
    Task<long> AppliedThroughAsync();
}

/// <summary>
/// One journal commit's effect on one integration: counts, its latest errors, and every attempt in order with the
/// commit's time (what the error lifecycle is computed from, so replaying gives the same lifecycle).
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.integration-delta")]
public sealed record IntegrationDelta(
    [property: Id(0)] long Sequence,
    [property: Id(1)] int Errors,
    [property: Id(2)] int Successes,
    [property: Id(3)] DateTimeOffset? LastErrorAt,
    [property: Id(4)] IReadOnlyList<ErrorDetail> LatestErrors,
    [property: Id(5)] DateTimeOffset WrittenAt,
    [property: Id(6)] IReadOnlyList<Attempt> Attempts);

/// <summary>
/// What an integration answers to deltas: whether it applied them, the last commit it now holds, and (when asked) the
/// tracked errors they changed and the ids of those it no longer keeps.
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.apply-answer")]
public sealed record ApplyAnswer(
    [property: Id(0)] bool Applied,
    [property: Id(1)] long AppliedThrough,
    [property: Id(2)] IReadOnlyList<ErrorView> Changed,
    [property: Id(3)] IReadOnlyList<string> Gone)
{
    public static readonly ApplyAnswer Refused = new(false, 0, [], []);
}

/// <summary>An integration's tracked errors as of the last commit it applied.</summary>
[GenerateSerializer, Immutable, Alias("alerts.error-snapshot")]
public sealed record ErrorSnapshot(
    [property: Id(0)] long AppliedThrough,
    [property: Id(1)] IReadOnlyList<ErrorView> Errors);

/// <summary>An integration's errors for digests and the errors API (organization → integration; not public).</summary>
public interface IIntegrationErrors : IGrainWithStringKey
{
    /// <summary>Its tracked errors (active and recently resolved), with retry windows closed as of <paramref name="asOf"/>.</summary>
    Task<IReadOnlyList<ErrorView>> ErrorsAsync(DateTimeOffset asOf);

    /// <summary>Its tracked errors and the last commit they include (the organization's index of them starts from this).</summary>
    Task<ErrorSnapshot> ErrorSnapshotAsync(DateTimeOffset asOf);

    /// <summary>Resolves an error by hand and writes it at once; null when there is no such error.</summary>
    Task<(ErrorView Error, bool Changed)?> ResolveAsync(long number, string by, DateTimeOffset at);
}

/// <summary>The organization's targets grain says whether the organization has any delivery target (not public).</summary>
public interface IOrganizationTargetFlag : IGrainWithStringKey
{
    Task TargetsChangedAsync(bool any);
}
