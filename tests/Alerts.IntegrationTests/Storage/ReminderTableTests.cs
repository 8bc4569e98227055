using Alerts.Storage.AzureTable;
using Alerts.Storage.AzureTable.Providers;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Alerts.IntegrationTests.Storage;

[Collection(AzuriteTests.Name)]
public sealed class ReminderTableTests(AzuriteFixture fixture)
{
    private async Task<AzureTableReminderTable> TableAsync(string service = "svc", string? table = null)
    {
        var options = new AzureTableReminderOptions { ConnectionString = fixture.Azurite.ConnectionString, TableName = table ?? AzuriteFixture.UniqueTable("rem") };
        var reminders = new AzureTableReminderTable(Options.Create(options), Options.Create(new ClusterOptions { ServiceId = service }));
        await reminders.Init();
        return reminders;
    }

    private static ReminderEntry Entry(GrainId grain, string name) => new()
    {
        GrainId = grain,
        ReminderName = name,
        StartAt = new DateTime(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc),
        Period = TimeSpan.FromMinutes(5),
    };

    [Fact]
    public async Task A_reminder_round_trips_and_is_removed_only_with_its_current_etag()
    {
        var table = await TableAsync();
        var grain = GrainId.Create("organization", "acme");
        var etag = await table.UpsertRow(Entry(grain, "cooldown-outgoing"));
        await table.UpsertRow(Entry(grain, "outbox"));

        var row = await table.ReadRow(grain, "cooldown-outgoing");
        Assert.NotNull(row);
        Assert.Equal(grain, row.GrainId);
        Assert.Equal(TimeSpan.FromMinutes(5), row.Period);
        Assert.Equal(new DateTime(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc), row.StartAt.ToUniversalTime());
        Assert.Equal(etag, row.ETag);
        Assert.Equal(2, (await table.ReadRows(grain)).Reminders.Count);

        var newer = await table.UpsertRow(Entry(grain, "cooldown-outgoing"));
        Assert.False(await table.RemoveRow(grain, "cooldown-outgoing", etag!));
        Assert.True(await table.RemoveRow(grain, "cooldown-outgoing", newer!));
        Assert.Null(await table.ReadRow(grain, "cooldown-outgoing"));
        Assert.False(await table.RemoveRow(grain, "cooldown-outgoing", newer!));
    }

    [Fact]
    public async Task Range_reads_return_exactly_the_grains_whose_hash_is_in_the_range_wrapping_around()
    {
        var table = await TableAsync();
        var grains = Enumerable.Range(0, 60).Select(i => GrainId.Create("integration", $"org/{i}")).ToList();
        foreach (var grain in grains) await table.UpsertRow(Entry(grain, "r"));

        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToList();
        uint low = hashes[10], high = hashes[40];
        (uint Begin, uint End)[] ranges = [(low, high), (high, low), (0, uint.MaxValue), (uint.MaxValue, 0), (hashes[5], hashes[5]), (hashes[0] - 1, hashes[0])];

        foreach (var (begin, end) in ranges)
        {
            var expected = grains.Where(g => InRange(g.GetUniformHashCode(), begin, end)).Select(g => g.ToString()).Order().ToList();
            var actual = (await table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId.ToString()).Order().ToList();
            Assert.Equal(expected, actual);
        }
        Assert.Equal(60, (await table.ReadRows(hashes[5], hashes[5])).Reminders.Count);

        static bool InRange(uint hash, uint begin, uint end) => begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;
    }

    [Fact]
    public async Task Services_sharing_a_table_keep_their_reminders_apart()
    {
        var name = AzuriteFixture.UniqueTable("remshared");
        var one = await TableAsync("one", name);
        var two = await TableAsync("two", name);
        var grain = GrainId.Create("organization", "acme");
        await one.UpsertRow(Entry(grain, "r"));
        Assert.Empty((await two.ReadRows(0, 0)).Reminders);
        Assert.Null(await two.ReadRow(grain, "r"));
        await two.TestOnlyClearTable();
        Assert.NotNull(await one.ReadRow(grain, "r"));
    }
}
