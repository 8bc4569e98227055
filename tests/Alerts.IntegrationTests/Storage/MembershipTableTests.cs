using System.Net;
using Alerts.Storage.AzureTable;
using Alerts.Storage.AzureTable.Providers;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Alerts.IntegrationTests.Storage;

[Collection(AzuriteTests.Name)]
public sealed class MembershipTableTests(AzuriteFixture fixture)
{
    private (AzureTableMembershipTable Table, AzureTableGatewayListProvider Gateways) Create()
    {
        var options = Options.Create(new AzureTableClusteringOptions { ConnectionString = fixture.Azurite.ConnectionString, TableName = AzuriteFixture.UniqueTable("members") });
        var cluster = Options.Create(new ClusterOptions { ClusterId = "cluster-a", ServiceId = "svc" });
        return (new AzureTableMembershipTable(options, cluster), new AzureTableGatewayListProvider(options, cluster, Options.Create(new GatewayOptions())));
    }

    private static MembershipEntry Silo(int port, SiloStatus status = SiloStatus.Joining) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 7),
        Status = status,
        ProxyPort = port + 1000,
        HostName = "host",
        SiloName = $"silo-{port}",
        RoleName = "alerts",
        StartTime = new DateTime(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc),
        IAmAliveTime = new DateTime(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc),
        SuspectTimes = [],
    };

    [Fact]
    public async Task Initializing_creates_version_zero_once()
    {
        var (table, _) = Create();
        await table.InitializeMembershipTable(true);
        await table.InitializeMembershipTable(true);
        var all = await table.ReadAll();
        Assert.Equal(0, all.Version.Version);
        Assert.Empty(all.Members);
    }

    [Fact]
    public async Task An_insert_moves_the_version_and_a_stale_version_inserts_nothing()
    {
        var (table, _) = Create();
        await table.InitializeMembershipTable(true);
        var version = (await table.ReadAll()).Version;

        Assert.True(await table.InsertRow(Silo(11111), version.Next()));
        Assert.False(await table.InsertRow(Silo(11112), version.Next()));

        var all = await table.ReadAll();
        Assert.Equal(1, all.Version.Version);
        var (entry, _) = Assert.Single(all.Members);
        Assert.Equal(11111, entry.SiloAddress.Endpoint.Port);
        Assert.Equal(7, entry.SiloAddress.Generation);
        Assert.Equal("silo-11111", entry.SiloName);
    }

    [Fact]
    public async Task An_update_needs_both_the_row_etag_and_the_version_etag()
    {
        var (table, _) = Create();
        await table.InitializeMembershipTable(true);
        var silo = Silo(11111);
        Assert.True(await table.InsertRow(silo, (await table.ReadAll()).Version.Next()));
        var read = await table.ReadRow(silo.SiloAddress);
        var rowEtag = read.Members[0].Item2;

        silo.Status = SiloStatus.Active;
        silo.AddOrUpdateSuspector(Silo(22222).SiloAddress, new DateTime(2026, 11, 22, 12, 1, 0, DateTimeKind.Utc), 10);
        Assert.True(await table.UpdateRow(silo, rowEtag, read.Version.Next()));

        // Both stale now: the row's etag and the version's.
        silo.Status = SiloStatus.Dead;
        Assert.False(await table.UpdateRow(silo, rowEtag, read.Version.Next()));

        var after = await table.ReadRow(silo.SiloAddress);
        Assert.Equal(2, after.Version.Version);
        var entry = after.Members[0].Item1;
        Assert.Equal(SiloStatus.Active, entry.Status);
        var suspect = Assert.Single(entry.SuspectTimes!);
        Assert.Equal(22222, suspect.Item1.Endpoint.Port);

        // A fresh row etag with a stale version etag is refused as a whole too.
        Assert.False(await table.UpdateRow(silo, after.Members[0].Item2, read.Version.Next()));
        Assert.Equal(SiloStatus.Active, (await table.ReadRow(silo.SiloAddress)).Members[0].Item1.Status);
    }

    [Fact]
    public async Task I_am_alive_touches_only_its_column_and_gateways_are_the_active_silos()
    {
        var (table, gateways) = Create();
        await table.InitializeMembershipTable(true);
        var active = Silo(11111, SiloStatus.Active);
        var joining = Silo(11113, SiloStatus.Joining);
        Assert.True(await table.InsertRow(active, (await table.ReadAll()).Version.Next()));
        Assert.True(await table.InsertRow(joining, (await table.ReadAll()).Version.Next()));

        active.IAmAliveTime = new DateTime(2026, 11, 22, 13, 0, 0, DateTimeKind.Utc);
        active.Status = SiloStatus.Dead;
        await table.UpdateIAmAlive(active);
        var entry = (await table.ReadRow(active.SiloAddress)).Members[0].Item1;
        Assert.Equal(SiloStatus.Active, entry.Status);
        Assert.Equal(active.IAmAliveTime, entry.IAmAliveTime.ToUniversalTime());

        var uri = Assert.Single(await gateways.GetGateways());
        Assert.Equal(12111, uri.Port);
    }

    [Fact]
    public async Task Cleanup_removes_only_dead_silos_older_than_the_date()
    {
        var (table, _) = Create();
        await table.InitializeMembershipTable(true);
        var dead = Silo(1, SiloStatus.Dead);
        var alive = Silo(2, SiloStatus.Active);
        Assert.True(await table.InsertRow(dead, (await table.ReadAll()).Version.Next()));
        Assert.True(await table.InsertRow(alive, (await table.ReadAll()).Version.Next()));

        await table.CleanupDefunctSiloEntries(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));

        var member = Assert.Single((await table.ReadAll()).Members);
        Assert.Equal(SiloStatus.Active, member.Item1.Status);
        await table.DeleteMembershipTableEntries("cluster-a");
        Assert.Empty((await table.ReadAll()).Members);
    }
}
