using Alerts.Grains.Notify;
using Alerts.Grains.Stores;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Alerts.Tests.Support;

/// <summary>
/// The test cluster with the real relay limit on (real time): 40 messages per 8 seconds, so one organization could take a
/// whole window at once if the limit were first come, first served. Its tests run alone (the shared fake clock and the
/// relay's real seconds both dislike company).
/// </summary>
public sealed class PacedClusterFixture : ClusterFixture
{
    public const int Limit = 40;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(8);

    protected override void Configure(TestClusterBuilder builder) => builder.AddSiloBuilderConfigurator<RelayLimitOn>();

    private sealed class RelayLimitOn : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.Services.Configure<RelayLimitOptions>(relay =>
        {
            relay.MaxMessagesPerWindow = Limit;
            relay.RateWindow = Window;
        });
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PacedClusterTests : ICollectionFixture<PacedClusterFixture>
{
    public const string Name = "paced cluster";
}
