using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests.Storage;

/// <summary>One in-memory Azurite for the provider tests; each test uses its own table or partition.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public Azurite Azurite { get; } = new();

    public Task InitializeAsync() => Azurite.StartAsync();

    public Task DisposeAsync() => Azurite.StopAsync();

    public static string UniqueTable(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];
}

[CollectionDefinition(Name)]
public sealed class AzuriteTests : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
