using Alerts.Storage.AzureTable;
using Orleans.Configuration;
using Orleans.Messaging;

namespace Alerts.Storage.AzureTable.Providers;

/// <summary>For Orleans clients: the gateways are the active silos in the membership table.</summary>
public sealed class AzureTableGatewayListProvider(
    IOptions<AzureTableClusteringOptions> options,
    IOptions<ClusterOptions> cluster,
    IOptions<GatewayOptions> gateway)
    : IGatewayListProvider
{
    private readonly TableClient _table = options.Value.CreateClient();
    private readonly string _partition = TableKeys.Escape(cluster.Value.ClusterId);

    public TimeSpan MaxStaleness => gateway.Value.GatewayListRefreshPeriod;

    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => Task.CompletedTask;

    public async Task<IList<Uri>> GetGateways()
    {
        var gateways = new List<Uri>();
        try
        {
            await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == _partition))
            {
                if (MembershipRows.Gateway(row) is { } uri) gateways.Add(uri);
            }
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            // No silo has created the table yet: no gateways for now; the client asks again.
        }
        return gateways;
    }
}
