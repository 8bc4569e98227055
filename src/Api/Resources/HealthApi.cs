namespace Alerts.Api.Resources;

/// <summary>Liveness (the process answers) and readiness (the cluster answers), both without auth.</summary>
public static partial class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        health.MapGet("/live", () => TypedResults.Ok(new HealthResponse("live", null))).WithName("Live").WithTags("Health")
            .WithSummary("The gateway process is up (no key needed).");
        health.MapGet("/ready", ReadyAsync).WithName("Ready").WithTags("Health")
            .WithSummary("The cluster answers (no key needed): 200 ready, or 503 not ready.").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> ReadyAsync(IGrainFactory grains, ILogger<HealthMarker> logger, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, timeout.Token);
            return TypedResults.Ok(new HealthResponse("ready", hosts.Count));
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Anonymous callers learn ready or not, nothing of the cause (it is in the gateway's log).
            LogNotReady(logger, exception);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "not ready");
        }
    }

    [LoggerMessage(4101, LogLevel.Warning, "Readiness check failed")]
    private static partial void LogNotReady(ILogger logger, Exception exception);
}

/// <summary>The category of the health endpoints' log.</summary>
public sealed partial class HealthMarker;

public sealed record HealthResponse(string Status, int? Silos);
