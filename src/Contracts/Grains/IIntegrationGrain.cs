namespace Alerts.Contracts;

/// <summary>
/// One integration of one organization. Key: <c>{org}/{integration}</c> (see <see cref="GrainKeys"/>).
/// This is where reports enter: <see cref="RecordAsync"/> returns only after the batch is durable.
/// </summary>
public interface IIntegrationGrain : IGrainWithStringKey
{
    /// <summary>Null when the integration was never registered.</summary>
    [ReadOnly]
    Task<IntegrationView?> GetAsync();

    /// <summary>Registers or renames/retypes the integration. Null when the organization does not exist.</summary>
    Task<IntegrationView?> PutAsync(IntegrationProfile profile);

    /// <summary>
    /// Records a batch of attempts (at most <see cref="AttemptRules.MaxBatch"/>). All or nothing: an invalid
    /// attempt rejects the batch. Attempts whose event id was already recorded count as duplicates.
    /// </summary>
    Task<RecordResult> RecordAsync(IReadOnlyList<Attempt> attempts);
}
