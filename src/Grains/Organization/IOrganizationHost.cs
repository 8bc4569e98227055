using Microsoft.Extensions.Logging;

namespace Alerts.Grains.Organization;

/// <summary>
/// What an organization's parts may ask of the grain that owns them: who it is, the time, its snapshot and the
/// snapshot's writes. Parts run on the grain's turns (never in parallel), so none of them locks.
/// </summary>
internal interface IOrganizationHost
{
    string OrgId { get; }

    DateTimeOffset Now { get; }

    /// <summary>The snapshot; each part reads and changes only its own section of it.</summary>
    OrganizationState State { get; }

    IGrainFactory GrainFactory { get; }

    ILogger Logger { get; }

    /// <summary>Writes the snapshot now: a decision or a setting that must be durable before anyone is told.</summary>
    Task SaveAsync();

    /// <summary>The snapshot is behind memory in a way the journal cannot rebuild cheaply: the next checkpoint writes it.</summary>
    void MarkDirty();

    /// <summary>Runs <paramref name="callback"/> once after <paramref name="due"/> on the grain's turn, keeping it active meanwhile.</summary>
    IDisposable After(TimeSpan due, Func<Task> callback);
}
