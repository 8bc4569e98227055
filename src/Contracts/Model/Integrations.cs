namespace Alerts.Contracts;

[GenerateSerializer, Immutable, Alias("alerts.integration-profile")]
public sealed record IntegrationProfile(
    [property: Id(0)] string Name,
    [property: Id(1)] IntegrationType Type);

[GenerateSerializer, Immutable, Alias("alerts.integration-view")]
public sealed record IntegrationView(
    [property: Id(0)] string OrgId,
    [property: Id(1)] string IntegrationId,
    [property: Id(2)] IntegrationProfile Profile,
    [property: Id(3)] long Errors,
    [property: Id(4)] long Successes,
    [property: Id(5)] DateTimeOffset? LastErrorAt,
    [property: Id(6)] IReadOnlyList<ErrorDetail> RecentErrors)
{
    public Direction Direction => Profile.Type.Direction();
}

/// <summary>One reported error as Alerts keeps it (for the CSV, digests and the dashboard).</summary>
[GenerateSerializer, Immutable, Alias("alerts.error-detail")]
public sealed record ErrorDetail(
    [property: Id(0)] string EventId,
    [property: Id(1)] DateTimeOffset OccurredAt,
    [property: Id(2)] int? StatusCode,
    [property: Id(3)] string? Message,
    [property: Id(4)] string? Flow,
    [property: Id(5)] string? Service,
    [property: Id(6)] string? TraceKey);
