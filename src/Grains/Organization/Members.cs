using Alerts.Contracts;
using Alerts.Grains.Stores;

namespace Alerts.Grains.Organization;

/// <summary>
/// The organization's integrations: rows of the directory, held in memory while the organization is active (every
/// report is checked against them). Its users are <see cref="People"/>, loaded only when needed.
/// </summary>
internal sealed class Members(IOrganizationHost host, IOrganizationDirectory directory, QuotaOptions quotas)
{
    private readonly Dictionary<string, IntegrationProfile> _integrations = new(StringComparer.Ordinal);

    /// <summary>New integrations being written (the grain is reentrant): counted against the quota already.</summary>
    private readonly HashSet<string> _adding = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, IntegrationProfile> Integrations => _integrations;

    /// <summary>Reads the organization's integrations.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var integration in await directory.ListIntegrationsAsync(host.OrgId, cancellationToken))
            _integrations[integration.IntegrationId] = integration.Profile;
    }

    /// <summary>Adds or updates an integration (stored only when it changed).</summary>
    public async Task RegisterIntegrationAsync(string integrationId, IntegrationProfile profile)
    {
        var exists = _integrations.TryGetValue(integrationId, out var known);
        if (exists && known == profile) return;
        await QuotaOptions.WithinAsync(_adding, integrationId, isNew: !exists, _integrations.Count, quotas.Integrations, "integrations",
            () => directory.PutIntegrationAsync(host.OrgId, integrationId, profile));
        _integrations[integrationId] = profile;
    }

    public ListPage<IntegrationSummary> ListIntegrations(ListQuery query) =>
        query.Take(_integrations.Select(pair => new IntegrationSummary(pair.Key, pair.Value)), integration => integration.IntegrationId);
}
