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

/// <summary>The threshold decision as the cooldown reminder runs it (tests call it too).</summary>
public interface IThresholdEvaluation : IGrainWithStringKey
{
    Task EvaluateThresholdsAsync();
}

/// <summary>What an organization hands its integration grains after a commit: their share of it.</summary>
public interface IIntegrationProjection : IGrainWithStringKey
{
    /// <summary>Applies each delta whose commit is after the last one applied; the rest were applied before.</summary>
    Task ApplyAsync(IReadOnlyList<IntegrationDelta> deltas);
}

/// <summary>One journal commit's effect on one integration.</summary>
[GenerateSerializer, Immutable, Alias("alerts.integration-delta")]
public sealed record IntegrationDelta(
    [property: Id(0)] long Sequence,
    [property: Id(1)] int Errors,
    [property: Id(2)] int Successes,
    [property: Id(3)] DateTimeOffset? LastErrorAt,
    [property: Id(4)] IReadOnlyList<ErrorDetail> LatestErrors);
