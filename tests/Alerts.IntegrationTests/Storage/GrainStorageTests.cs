using Alerts.Storage;
using Azure.Data.Tables;
using Orleans.Runtime;
using Orleans.Storage;

namespace Alerts.IntegrationTests.Storage;

[GenerateSerializer, Alias("tests.sample-state")]
public sealed class SampleState
{
    [Id(0)] public string Name { get; set; } = "";
    [Id(1)] public List<int> Numbers { get; set; } = [];
    [Id(2)] public byte[] Blob { get; set; } = [];
}

/// <summary>
/// Grain state on Orleans' Azure table provider as Alerts registers it: binary Orleans format, conditional writes,
/// clears that delete, the bound on one state's size, and tables from before it read and emptied.
/// </summary>
[Collection(AzuriteTests.Name)]
public sealed class GrainStorageTests(AzuriteFixture fixture)
{
    /// <summary>Orleans' provider splits a state over at most 15 properties of 64 KiB (Azure's 1 MiB entity leaves room for the keys).</summary>
    public const int StateBound = 15 * 64 * 1024;

    private StorageOptions NewAccount() => new() { ConnectionString = fixture.Azurite.ConnectionString, TablePrefix = AzuriteFixture.UniqueTable("t") };

    private static GrainId Grain(string key) => GrainId.Create("organization", key);

    private static GrainState<SampleState> Empty() => new(new SampleState());

    [Fact]
    public async Task State_round_trips_and_a_clear_deletes_the_row()
    {
        var storage = NewAccount();
        await using var providers = await StorageProviders.StartAsync(storage);
        var grain = Grain("acme/with#odd?chars%");
        var written = new GrainState<SampleState>(new SampleState { Name = "Acme", Numbers = [1, 2, 3] });
        await providers.Grains.WriteStateAsync("organization", grain, written);
        Assert.NotNull(written.ETag);

        var read = Empty();
        await providers.Grains.ReadStateAsync("organization", grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal("Acme", read.State!.Name);
        Assert.Equal([1, 2, 3], read.State!.Numbers);

        read.State!.Numbers.Add(4);
        await providers.Grains.WriteStateAsync("organization", grain, read);
        var again = Empty();
        await providers.Grains.ReadStateAsync("organization", grain, again);
        Assert.Equal([1, 2, 3, 4], again.State!.Numbers);

        await providers.Grains.ClearStateAsync("organization", grain, again);
        Assert.False(again.RecordExists);
        var cleared = Empty();
        await providers.Grains.ReadStateAsync("organization", grain, cleared);
        Assert.False(cleared.RecordExists);
        Assert.Empty(await RowsAsync(storage, StorageOptions.GrainStateTable));
    }

    [Fact]
    public async Task Of_two_writers_holding_the_same_etag_exactly_one_wins()
    {
        await using var providers = await StorageProviders.StartAsync(NewAccount());
        var grain = Grain("race");
        var first = Empty();
        await providers.Grains.WriteStateAsync("s", grain, first);
        var a = new GrainState<SampleState>(new SampleState { Name = "a" }) { ETag = first.ETag, RecordExists = true };
        var b = new GrainState<SampleState>(new SampleState { Name = "b" }) { ETag = first.ETag, RecordExists = true };
        await providers.Grains.WriteStateAsync("s", grain, a);
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => providers.Grains.WriteStateAsync("s", grain, b));
        var read = Empty();
        await providers.Grains.ReadStateAsync("s", grain, read);
        Assert.Equal("a", read.State!.Name);
        // Two first writes (no ETag) conflict too.
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => providers.Grains.WriteStateAsync("s", grain, Empty()));
    }

    [Fact]
    public async Task The_largest_state_alerts_allows_round_trips_and_one_byte_more_is_refused_writing_nothing()
    {
        var storage = NewAccount();
        await using var providers = await StorageProviders.StartAsync(storage);
        // BoundedStateTests keep every grain's serialized state under StateBound; here is what the provider does at it.
        var blob = new byte[StateBound - 64];
        new Random(42).NextBytes(blob);
        var largest = new GrainState<SampleState>(new SampleState { Blob = blob });
        await providers.Grains.WriteStateAsync("s", Grain("largest"), largest);
        var read = Empty();
        await providers.Grains.ReadStateAsync("s", Grain("largest"), read);
        Assert.Equal(blob, read.State!.Blob);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            providers.Grains.WriteStateAsync("s", Grain("too-large"), new GrainState<SampleState>(new SampleState { Blob = new byte[StateBound] })));
        var missing = Empty();
        await providers.Grains.ReadStateAsync("s", Grain("too-large"), missing);
        Assert.False(missing.RecordExists);
    }

    [Fact]
    public async Task State_the_old_provider_wrote_is_read_moved_on_the_first_write_and_never_comes_back_after_a_clear()
    {
        var storage = NewAccount();
        var old = new OldProviderTables(storage);
        await old.WriteStateAsync("alerts", "organization", Grain("acme"), new SampleState { Name = "before", Numbers = [7] });
        await old.WriteStateAsync("alerts", "organization", Grain("globex"), new SampleState { Name = "kept" });
        await old.WriteStateAsync("another-service", "organization", Grain("acme"), new SampleState { Name = "not ours" });
        await using var providers = await StorageProviders.StartAsync(storage);

        var acme = Empty();
        await providers.Grains.ReadStateAsync("organization", Grain("acme"), acme);
        Assert.True(acme.RecordExists);
        Assert.Equal("before", acme.State!.Name);
        Assert.Equal([7], acme.State!.Numbers);

        acme.State!.Name = "after";
        await providers.Grains.WriteStateAsync("organization", Grain("acme"), acme);
        Assert.False(await old.HasStateAsync("alerts", "organization", Grain("acme")));
        Assert.True(await old.HasStateAsync("alerts", "organization", Grain("globex")));
        Assert.True(await old.HasStateAsync("another-service", "organization", Grain("acme")));
        var moved = Empty();
        await providers.Grains.ReadStateAsync("organization", Grain("acme"), moved);
        Assert.Equal("after", moved.State!.Name);

        var globex = Empty();
        await providers.Grains.ReadStateAsync("organization", Grain("globex"), globex);
        Assert.Equal("kept", globex.State!.Name);
        await providers.Grains.ClearStateAsync("organization", Grain("globex"), globex);
        var gone = Empty();
        await providers.Grains.ReadStateAsync("organization", Grain("globex"), gone);
        Assert.False(gone.RecordExists);
        Assert.False(await old.HasStateAsync("alerts", "organization", Grain("globex")));
    }

    [Fact]
    public async Task Reminders_the_old_provider_kept_are_moved_when_the_reminder_service_starts()
    {
        var storage = NewAccount();
        var old = new OldProviderTables(storage);
        var outbox = GrainId.Create("outbox", "acme");
        var start = new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);
        await old.WriteReminderAsync("alerts", outbox, "deliver", start, TimeSpan.FromMinutes(1));
        await old.WriteReminderAsync("alerts", GrainId.Create("organization", "acme"), "digest", start, TimeSpan.FromMinutes(15));
        await old.WriteReminderAsync("another-service", outbox, "deliver", start, TimeSpan.FromMinutes(1));

        await using (var providers = await StorageProviders.StartAsync(storage))
        {
            var moved = await providers.Reminders.ReadRow(outbox, "deliver");
            Assert.NotNull(moved);
            Assert.Equal(start, moved.StartAt);
            Assert.Equal(TimeSpan.FromMinutes(1), moved.Period);
            Assert.NotNull(await providers.Reminders.ReadRow(GrainId.Create("organization", "acme"), "digest"));
            Assert.Equal(2, (await providers.Reminders.ReadRows(0, 0)).Reminders.Count);
        }
        Assert.Equal(1, await old.ReminderCountAsync());

        // A second start (another silo, or a restart) finds nothing left to move and keeps what is there.
        await using var again = await StorageProviders.StartAsync(storage);
        Assert.Equal(2, (await again.Reminders.ReadRows(0, 0)).Reminders.Count);
    }

    private static async Task<List<TableEntity>> RowsAsync(StorageOptions storage, string table)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in new TableServiceClient(storage.ConnectionString).GetTableClient(storage.TablePrefix + table).QueryAsync<TableEntity>())
            rows.Add(row);
        return rows;
    }
}
