namespace Alerts.IntegrationTests.Support;

/// <summary>
/// One local stack (Azurite, maildev, a silo, the gateway) shared by the tests of a collection; each test works
/// in organizations of its own. Tests that stop or kill processes build a <see cref="LocalDeployment"/> of their own.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    private readonly LocalDeployment _stack = new();

    public HttpClient Api => _stack.Api;
    public HttpClient Anonymous => _stack.Anonymous;
    public MailDev Inbox => _stack.Inbox;
    public int GatewayPort => _stack.Silos[0].GatewayPort;
    public string ClusterId => _stack.ClusterId;

    public Task InitializeAsync() => _stack.StartAllAsync();

    public async Task DisposeAsync() => await _stack.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class StackTests : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
