namespace Alerts.Contracts;

/// <summary>
/// What a user follows besides <c>notification_events</c> (SPEC §3.5, §4): flows (one flow of an integration, or all
/// flows of an integration) for the 15-minute digest, and connections for their offline/online notices.
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.subscriptions")]
public sealed record Subscriptions(
    [property: Id(0)] IReadOnlyList<FlowSubscription> Flows,
    [property: Id(1)] IReadOnlyList<string> Integrations,
    [property: Id(2)] IReadOnlyList<string> Connections)
{
    public const int MaxEach = 200;

    public static readonly Subscriptions None = new([], [], []);

    public bool IsEmpty => Flows.Count == 0 && Integrations.Count == 0 && Connections.Count == 0;

    public bool FollowsErrors => Flows.Count > 0 || Integrations.Count > 0;

    /// <summary>The scopes it holds, each named by a stable key (see <see cref="ScopeKey"/>).</summary>
    public IEnumerable<string> ScopeKeys() =>
        Flows.Select(flow => ScopeKey(flow.IntegrationId, flow.Flow))
            .Concat(Integrations.Select(id => ScopeKey(id, null)))
            .Concat(Connections.Select(ConnectionKey));

    /// <summary><c>i:{integration}</c> for all its flows, <c>f:{integration}\n{flow}</c> for one.</summary>
    public static string ScopeKey(string integrationId, string? flow) => flow is null ? $"i:{integrationId}" : $"f:{integrationId}\n{flow}";

    public static string ConnectionKey(string connectionId) => $"c:{connectionId}";
}

[GenerateSerializer, Immutable, Alias("alerts.flow-subscription")]
public sealed record FlowSubscription(
    [property: Id(0)] string IntegrationId,
    [property: Id(1)] string Flow);
