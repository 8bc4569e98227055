using Alerts.Contracts;
using Alerts.Grains.Policies;

namespace Alerts.Grains.State;

[GenerateSerializer, Alias("alerts.integration-state")]
public sealed class IntegrationState
{
    /// <summary>Null until the integration is registered.</summary>
    [Id(0)] public IntegrationProfile? Profile { get; set; }
    [Id(1)] public DateTimeOffset CreatedAt { get; set; }
    [Id(2)] public long Errors { get; set; }
    [Id(3)] public long Successes { get; set; }
    [Id(4)] public DateTimeOffset? LastErrorAt { get; set; }
    [Id(5)] public RecentEventIds Seen { get; set; } = new();

    /// <summary>The latest errors, newest last, for a quick look (the full log is elsewhere).</summary>
    [Id(6)] public List<ErrorDetail> RecentErrors { get; set; } = [];

    [Id(7)] public long LastBatch { get; set; }

    /// <summary>Error batches recorded here and not yet confirmed as counted by the organization.</summary>
    [Id(8)] public List<ErrorBatch> Uncounted { get; set; } = [];
}

/// <summary>Errors of one recorded batch, as the organization counts them.</summary>
[GenerateSerializer, Immutable, Alias("alerts.error-batch")]
public sealed record ErrorBatch(
    [property: Id(0)] long Sequence,
    [property: Id(1)] Direction Direction,
    [property: Id(2)] IReadOnlyList<DateTimeOffset> OccurredAt);
