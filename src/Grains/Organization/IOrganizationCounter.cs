using Alerts.Contracts;
using Alerts.Grains.State;

namespace Alerts.Grains.Organization;

/// <summary>The organization grain's side that integration grains and reminders talk to (not part of the public contract).</summary>
public interface IOrganizationCounter : IGrainWithStringKey
{
    /// <summary>Adds or updates an integration in the organization's catalog. False when the organization does not exist.</summary>
    Task<bool> RegisterIntegrationAsync(string integrationId, IntegrationProfile profile);

    /// <summary>
    /// Counts the errors of an integration's batches, each once (a batch at or below the integration's
    /// counted sequence is skipped), and decides threshold notifications. Returns after the counts are durable.
    /// </summary>
    Task CountErrorsAsync(string integrationId, IReadOnlyList<ErrorBatch> batches);

    /// <summary>Evaluates both directions now, as the cooldown reminder does.</summary>
    Task EvaluateThresholdsAsync();
}
