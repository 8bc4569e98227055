using Alerts.Contracts;
using Alerts.Grains.Directory;
using Alerts.Storage.Configuration;
using Azure;
using Azure.Data.Tables;

namespace Alerts.Silo.Directory;

/// <summary>
/// Users and integrations in an Azure table: PartitionKey the organization, RowKey <c>user:{id}</c> or
/// <c>integration:{id}</c>, one readable row each (a few hundred bytes), so thousands fit and list in a few pages.
/// </summary>
public sealed class AzureTableDirectory(TableClient table) : IOrganizationDirectory
{
    private const string UserPrefix = "user:";
    private const string IntegrationPrefix = "integration:";

    public Task InitializeAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    public async Task<IReadOnlyList<UserView>> ListUsersAsync(string orgId, CancellationToken cancellationToken = default)
    {
        var users = new List<UserView>();
        await foreach (var row in Rows(orgId, UserPrefix, cancellationToken))
        {
            if (!UserRoles.TryParse(row.GetString("Role"), out var role)) continue;
            var events = row.GetString("Events") is { Length: > 0 } joined ? joined.Split(',') : [];
            users.Add(new UserView(row.RowKey[UserPrefix.Length..], new UserProfile(row.GetString("Email"), row.GetString("Name"), role, events)));
        }
        return users;
    }

    public Task PutUserAsync(string orgId, string userId, UserProfile profile, CancellationToken cancellationToken = default) =>
        table.UpsertEntityAsync(new TableEntity(Partition(orgId), UserPrefix + userId)
        {
            ["Email"] = profile.Email,
            ["Name"] = profile.Name,
            ["Role"] = profile.Role.Wire(),
            ["Events"] = string.Join(',', profile.NotificationEvents),
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task<bool> DeleteUserAsync(string orgId, string userId, CancellationToken cancellationToken = default)
    {
        try
        {
            await table.DeleteEntityAsync(Partition(orgId), UserPrefix + userId, ETag.All, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<IntegrationSummary>> ListIntegrationsAsync(string orgId, CancellationToken cancellationToken = default)
    {
        var integrations = new List<IntegrationSummary>();
        await foreach (var row in Rows(orgId, IntegrationPrefix, cancellationToken))
        {
            if (!IntegrationTypes.TryParse(row.GetString("Type"), out var type)) continue;
            integrations.Add(new IntegrationSummary(row.RowKey[IntegrationPrefix.Length..], new IntegrationProfile(row.GetString("Name"), type)));
        }
        return integrations;
    }

    public Task PutIntegrationAsync(string orgId, string integrationId, IntegrationProfile profile, CancellationToken cancellationToken = default) =>
        table.UpsertEntityAsync(new TableEntity(Partition(orgId), IntegrationPrefix + integrationId)
        {
            ["Name"] = profile.Name,
            ["Type"] = profile.Type.Wire(),
        }, TableUpdateMode.Replace, cancellationToken);

    private AsyncPageable<TableEntity> Rows(string orgId, string prefix, CancellationToken cancellationToken)
    {
        // Ids never contain ';', which sorts right after ':': the prefix's rows are exactly [prefix, prefix with ';').
        var end = prefix[..^1] + ";";
        var filter = $"PartitionKey eq {TableKeys.Literal(Partition(orgId))} and RowKey ge {TableKeys.Literal(prefix)} and RowKey lt {TableKeys.Literal(end)}";
        return table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken);
    }

    private static string Partition(string orgId) => TableKeys.Escape(orgId);
}
