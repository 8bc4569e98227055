using Alerts.Storage.AzureTable;
using Orleans.Configuration;

namespace Alerts.Storage.AzureTable.Providers;

/// <summary>
/// Cluster membership in an Azure table: one partition per cluster id, a row per silo and one version row.
/// A silo row and the version row always change together in one entity-group transaction, each conditional on
/// the ETag the caller read, so two silos can never both win a membership change.
/// </summary>
public sealed class AzureTableMembershipTable(IOptions<AzureTableClusteringOptions> options, IOptions<ClusterOptions> cluster)
    : IMembershipTable
{
    private readonly TableClient _table = options.Value.CreateClient();
    private readonly string _partition = TableKeys.Escape(cluster.Value.ClusterId);

    public async Task InitializeMembershipTable(bool tryInitTableVersion)
    {
        await _table.CreateIfNotExistsAsync();
        if (!tryInitTableVersion) return;
        try
        {
            await _table.AddEntityAsync(MembershipRows.Version(_partition, 0));
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            // Another silo created it first: all we need is that it exists.
        }
    }

    public async Task DeleteMembershipTableEntries(string clusterId)
    {
        var partition = TableKeys.Escape(clusterId);
        await DeleteAsync(_table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["PartitionKey", "RowKey"]));
    }

    public async Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate)
    {
        var dead = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == _partition))
        {
            if (row.RowKey == MembershipRows.VersionRow) continue;
            var entry = MembershipRows.ToEntry(row);
            if (entry.Status == SiloStatus.Dead && new DateTimeOffset(DateTime.SpecifyKind(Latest(entry), DateTimeKind.Utc)) < beforeDate) dead.Add(row);
        }
        foreach (var row in dead) await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All);
    }

    public async Task<MembershipTableData> ReadRow(SiloAddress key)
    {
        var row = MembershipRows.Row(key);
        return await ReadAsync($"PartitionKey eq {TableKeys.Literal(_partition)} and (RowKey eq {TableKeys.Literal(row)} or RowKey eq {TableKeys.Literal(MembershipRows.VersionRow)})");
    }

    public Task<MembershipTableData> ReadAll() => ReadAsync($"PartitionKey eq {TableKeys.Literal(_partition)}");

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) =>
        CommitAsync(
            new TableTransactionAction(TableTransactionActionType.Add, MembershipRows.Silo(_partition, entry)),
            VersionUpdate(tableVersion));

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) =>
        CommitAsync(
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, MembershipRows.Silo(_partition, entry), new ETag(etag)),
            VersionUpdate(tableVersion));

    public async Task UpdateIAmAlive(MembershipEntry entry)
    {
        var alive = new TableEntity(_partition, MembershipRows.Row(entry.SiloAddress))
        {
            ["IAmAliveTime"] = DateTime.SpecifyKind(entry.IAmAliveTime, DateTimeKind.Utc),
        };
        await _table.UpdateEntityAsync(alive, ETag.All, TableUpdateMode.Merge);
    }

    private TableTransactionAction VersionUpdate(TableVersion version) =>
        new(TableTransactionActionType.UpdateReplace, MembershipRows.Version(_partition, version.Version), new ETag(version.VersionEtag));

    /// <summary>Both rows or neither; false when either ETag no longer matches (someone else changed the table).</summary>
    private async Task<bool> CommitAsync(params TableTransactionAction[] actions)
    {
        try
        {
            await _table.SubmitTransactionAsync(actions);
            return true;
        }
        catch (TableTransactionFailedException exception) when (exception.Status is 409 or 412 or 404)
        {
            return false;
        }
    }

    private async Task<MembershipTableData> ReadAsync(string filter)
    {
        var members = new List<Tuple<MembershipEntry, string>>();
        var version = new TableVersion(0, null!);
        await foreach (var row in _table.QueryAsync<TableEntity>(filter))
        {
            if (row.RowKey == MembershipRows.VersionRow) version = new TableVersion(row.GetInt32("Version") ?? 0, row.ETag.ToString());
            else members.Add(Tuple.Create(MembershipRows.ToEntry(row), row.ETag.ToString()));
        }
        return new MembershipTableData(members, version);
    }

    private async Task DeleteAsync(AsyncPageable<TableEntity> rows)
    {
        await foreach (var row in rows) await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All);
    }

    private static DateTime Latest(MembershipEntry entry) => entry.IAmAliveTime > entry.StartTime ? entry.IAmAliveTime : entry.StartTime;
}
