namespace Alerts.Api.Resources;

/// <summary>Liveness (the process answers) and readiness (the cluster answers), both without auth.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        health.MapGet("/live", () => TypedResults.Ok(new { status = "live" })).WithName("Live");
        health.MapGet("/ready", ReadyAsync).WithName("Ready");
        return app;
    }

    public static async Task<IResult> ReadyAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, timeout.Token);
            return TypedResults.Ok(new { status = "ready", silos = hosts.Count });
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The cluster does not answer.", detail: exception.Message);
        }
    }
}
