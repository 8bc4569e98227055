using Alerts.Storage.AzureTable;
using Alerts.Storage.AzureTable.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace Alerts.IntegrationTests.Storage;

[GenerateSerializer, Alias("tests.sample-state")]
public sealed class SampleState
{
    [Id(0)] public string Name { get; set; } = "";
    [Id(1)] public List<int> Numbers { get; set; } = [];
    [Id(2)] public byte[] Blob { get; set; } = [];
}

[Collection(AzuriteTests.Name)]
public sealed class GrainStorageTests(AzuriteFixture fixture)
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private async Task<AzureTableGrainStorage> StorageAsync(string serviceId = "svc")
    {
        var options = new AzureTableGrainStorageOptions { ConnectionString = fixture.Azurite.ConnectionString, TableName = AzuriteFixture.UniqueTable("state") };
        await options.CreateClient().CreateIfNotExistsAsync();
        return new AzureTableGrainStorage("test", options, Options.Create(new ClusterOptions { ServiceId = serviceId, ClusterId = "c" }), Serializer,
            NullLogger<AzureTableGrainStorage>.Instance);
    }

    private static GrainId Grain(string key) => GrainId.Create("organization", key);

    [Fact]
    public async Task State_round_trips_and_clears()
    {
        var storage = await StorageAsync();
        var grain = Grain("acme/with#odd?chars%");
        var written = new GrainState<SampleState>(new SampleState { Name = "Acme", Numbers = [1, 2, 3] });
        await storage.WriteStateAsync("organization", grain, written);
        Assert.NotNull(written.ETag);
        Assert.True(written.RecordExists);

        var read = new GrainState<SampleState>(new SampleState());
        await storage.ReadStateAsync("organization", grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal("Acme", read.State!.Name);
        Assert.Equal([1, 2, 3], read.State!.Numbers);

        read.State!.Numbers.Add(4);
        await storage.WriteStateAsync("organization", grain, read);
        var again = new GrainState<SampleState>(new SampleState());
        await storage.ReadStateAsync("organization", grain, again);
        Assert.Equal([1, 2, 3, 4], again.State!.Numbers);

        await storage.ClearStateAsync("organization", grain, again);
        Assert.Null(again.ETag);
        Assert.False(again.RecordExists);
        var cleared = new GrainState<SampleState>(new SampleState { Name = "untouched" });
        await storage.ReadStateAsync("organization", grain, cleared);
        Assert.False(cleared.RecordExists);
        Assert.Null(cleared.ETag);
    }

    [Fact]
    public async Task Of_two_writers_holding_the_same_etag_exactly_one_wins()
    {
        var storage = await StorageAsync();
        var grain = Grain("contended");
        await storage.WriteStateAsync("s", grain, new GrainState<SampleState>(new SampleState { Name = "v1" }));
        var first = new GrainState<SampleState>(new SampleState());
        var second = new GrainState<SampleState>(new SampleState());
        await storage.ReadStateAsync("s", grain, first);
        await storage.ReadStateAsync("s", grain, second);
        first.State!.Name = "first";
        second.State!.Name = "second";

        var outcomes = await Task.WhenAll(Attempt(first), Attempt(second));

        Assert.Single(outcomes, o => o is null);
        Assert.Single(outcomes, o => o is InconsistentStateException);
        var final = new GrainState<SampleState>(new SampleState());
        await storage.ReadStateAsync("s", grain, final);
        Assert.True(final.State!.Name is "first" or "second");

        async Task<Exception?> Attempt(GrainState<SampleState> state)
        {
            try
            {
                await storage.WriteStateAsync("s", grain, state);
                return null;
            }
            catch (Exception exception)
            {
                return exception;
            }
        }
    }

    [Fact]
    public async Task Two_first_writes_conflict_too()
    {
        var storage = await StorageAsync();
        var grain = Grain("born-twice");
        await storage.WriteStateAsync("s", grain, new GrainState<SampleState>(new SampleState { Name = "a" }));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync("s", grain, new GrainState<SampleState>(new SampleState { Name = "b" })));
    }

    [Fact]
    public async Task A_stale_clear_is_refused()
    {
        var storage = await StorageAsync();
        var grain = Grain("stale-clear");
        var old = new GrainState<SampleState>(new SampleState());
        await storage.WriteStateAsync("s", grain, old);
        var current = new GrainState<SampleState>(new SampleState());
        await storage.ReadStateAsync("s", grain, current);
        await storage.WriteStateAsync("s", grain, current);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("s", grain, old));
    }

    [Fact]
    public async Task State_larger_than_one_column_is_split_and_joined()
    {
        var storage = await StorageAsync();
        var grain = Grain("large");
        var blob = new byte[700 * 1024];
        new Random(42).NextBytes(blob);
        await storage.WriteStateAsync("s", grain, new GrainState<SampleState>(new SampleState { Blob = blob, Numbers = Enumerable.Range(0, 10_000).ToList() }));

        var read = new GrainState<SampleState>(new SampleState());
        await storage.ReadStateAsync("s", grain, read);
        Assert.Equal(blob, read.State!.Blob);
        Assert.Equal(10_000, read.State!.Numbers.Count);
    }

    [Fact]
    public async Task State_over_the_entity_limit_is_refused_and_nothing_is_written()
    {
        var storage = await StorageAsync();
        var grain = Grain("too-large");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            storage.WriteStateAsync("s", grain, new GrainState<SampleState>(new SampleState { Blob = new byte[2 * 1024 * 1024] })));
        Assert.Contains("limit", error.Message);
        var read = new GrainState<SampleState>(new SampleState());
        await storage.ReadStateAsync("s", grain, read);
        Assert.False(read.RecordExists);
    }

    [Fact]
    public async Task Services_sharing_a_table_do_not_see_each_others_state()
    {
        var options = new AzureTableGrainStorageOptions { ConnectionString = fixture.Azurite.ConnectionString, TableName = AzuriteFixture.UniqueTable("shared") };
        await options.CreateClient().CreateIfNotExistsAsync();
        AzureTableGrainStorage For(string service) => new("test", options, Options.Create(new ClusterOptions { ServiceId = service }), Serializer, NullLogger<AzureTableGrainStorage>.Instance);
        await For("one").WriteStateAsync("s", Grain("x"), new GrainState<SampleState>(new SampleState { Name = "one" }));
        var other = new GrainState<SampleState>(new SampleState());
        await For("two").ReadStateAsync("s", Grain("x"), other);
        Assert.False(other.RecordExists);
    }

    [Fact]
    public void Options_refuse_a_bad_table_name()
    {
        var options = new AzureTableGrainStorageOptions { TableName = "bad-name" };
        var results = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();
        Assert.Contains(results, r => r.MemberNames.Contains("TableName"));
    }

    [Fact]
    public void Keys_escape_what_azure_forbids_one_to_one()
    {
        Assert.Equal("svc%2Forganization%2Facme%23%3F%25%5C", TableKeys.Escape("svc/organization/acme#?%\\"));
        Assert.NotEqual(TableKeys.Escape("a/b"), TableKeys.Escape("a%2Fb"));
    }
}
