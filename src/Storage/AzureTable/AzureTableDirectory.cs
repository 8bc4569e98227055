using Alerts.Contracts;
using Alerts.Grains.Stores;
using System.Text;
using System.Text.Json;
using Alerts.Storage.AzureTable;
using Azure;
using Azure.Data.Tables;

namespace Alerts.Storage.AzureTable;

/// <summary>
/// Users, integrations and connections in an Azure table: PartitionKey the organization, RowKey <c>user:{id}</c>,
/// <c>integration:{id}</c> or <c>connection:{id}</c>, one readable row each (a few hundred bytes), so thousands fit and
/// list in a few pages. What may outgrow a property (a user's subscriptions, a connection's integrations) is UTF-8
/// JSON in binary columns.
/// </summary>
public sealed class AzureTableDirectory(TableClient table) : IOrganizationDirectory
{
    private const string UserPrefix = "user:";
    private const string IntegrationPrefix = "integration:";
    private const string ConnectionPrefix = "connection:";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task InitializeAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    public async Task<IReadOnlyList<UserView>> ListUsersAsync(string orgId, CancellationToken cancellationToken = default)
    {
        var users = new List<UserView>();
        await foreach (var row in Rows(orgId, UserPrefix, cancellationToken))
        {
            if (!UserRoles.TryParse(row.GetString("Role"), out var role)) continue;
            var events = row.GetString("Events") is { Length: > 0 } joined ? joined.Split(',') : [];
            var follows = row.ContainsKey("FSize") ? JsonSerializer.Deserialize<Follows>(BinaryColumns.Read(row, "F"), Json) : null;
            users.Add(new UserView(row.RowKey[UserPrefix.Length..],
                new UserProfile(row.GetString("Email"), row.GetString("Name"), role, events, follows?.Subscriptions, follows?.Since)));
        }
        return users;
    }

    public Task PutUserAsync(string orgId, string userId, UserProfile profile, CancellationToken cancellationToken = default)
    {
        var row = new TableEntity(Partition(orgId), UserPrefix + userId)
        {
            ["Email"] = profile.Email,
            ["Name"] = profile.Name,
            ["Role"] = profile.Role.Wire(),
            ["Events"] = string.Join(',', profile.NotificationEvents),
        };
        if (profile.Subscriptions is not null || profile.SubscribedSince is not null)
            BinaryColumns.Write(row, "F", JsonSerializer.SerializeToUtf8Bytes(new Follows(profile.Subscriptions, profile.SubscribedSince), Json));
        return table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    private sealed record Follows(Subscriptions? Subscriptions, IReadOnlyDictionary<string, DateTimeOffset>? Since);

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

    public async Task<IReadOnlyList<ConnectionView>> ListConnectionsAsync(string orgId, CancellationToken cancellationToken = default)
    {
        var connections = new List<ConnectionView>();
        await foreach (var row in Rows(orgId, ConnectionPrefix, cancellationToken))
        {
            var integrations = Encoding.UTF8.GetString(BinaryColumns.Read(row, "I"));
            connections.Add(new ConnectionView(
                row.RowKey[ConnectionPrefix.Length..],
                new ConnectionProfile(row.GetString("Name"), integrations.Length == 0 ? [] : integrations.Split('\n')),
                row.GetBoolean("Online") ?? true, row.GetDateTimeOffset("ChangedAt"), row.GetBoolean("NotifiedOnline") ?? true,
                row.GetDateTimeOffset("NotifiedAt"), row.GetDateTimeOffset("HoldUntil"), row.GetInt64("Notices") ?? 0));
        }
        return connections;
    }

    public Task PutConnectionAsync(string orgId, ConnectionView connection, CancellationToken cancellationToken = default)
    {
        var row = new TableEntity(Partition(orgId), ConnectionPrefix + connection.ConnectionId)
        {
            ["Name"] = connection.Profile.Name,
            ["Online"] = connection.Online,
            ["ChangedAt"] = connection.ChangedAt?.UtcDateTime,
            ["NotifiedOnline"] = connection.NotifiedOnline,
            ["NotifiedAt"] = connection.NotifiedAt?.UtcDateTime,
            ["HoldUntil"] = connection.HoldUntil?.UtcDateTime,
            ["Notices"] = connection.Notices,
        };
        BinaryColumns.Write(row, "I", Encoding.UTF8.GetBytes(string.Join('\n', connection.Profile.IntegrationIds)));
        return table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    private AsyncPageable<TableEntity> Rows(string orgId, string prefix, CancellationToken cancellationToken)
    {
        // Ids never contain ';', which sorts right after ':': the prefix's rows are exactly [prefix, prefix with ';').
        var end = prefix[..^1] + ";";
        var filter = $"PartitionKey eq {TableKeys.Literal(Partition(orgId))} and RowKey ge {TableKeys.Literal(prefix)} and RowKey lt {TableKeys.Literal(end)}";
        return table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken);
    }

    private static string Partition(string orgId) => TableKeys.Escape(orgId);
}
