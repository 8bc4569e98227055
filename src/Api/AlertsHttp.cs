using Alerts.Api.Auth;
using Alerts.Api.Http;
using Alerts.Api.Resources;
using Scalar.AspNetCore;

namespace Alerts.Api;

/// <summary>
/// The HTTP layer as one unit that a host adds and maps: the silo (which serves HTTP itself, so a request reaches its
/// grain without a client hop) or the standalone gateway (an Orleans client). The host provides <see cref="IGrainFactory"/>.
/// </summary>
public static class AlertsHttp
{
    /// <summary>JSON, problems, OpenAPI, the operator and organization keys, the one authorization rule, the report coalescer.</summary>
    public static IServiceCollection AddAlertsHttp(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(json => ApiJson.Configure(json.SerializerOptions));
        services.AddProblemDetails();
        services.AddExceptionHandler<ExceptionMapping>();
        services.AddOptions<RequestDeadlineOptions>().BindConfiguration(RequestDeadlineOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RequestDeadlineFilter>();
        services.AddOpenApi();

        services.AddOptions<OperatorKeyOptions>().BindConfiguration(OperatorKeyOptions.Section).ValidateDataAnnotations()
            .Validate<IConfiguration>((keys, configuration) => DevelopmentKeyGuard.Allows(keys.OperatorKey, configuration["urls"]), DevelopmentKeyGuard.Refusal)
            .ValidateOnStart();
        services.AddAuthentication(BearerKeyHandler.SchemeName).AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerKeyHandler>(BearerKeyHandler.SchemeName, null);
        services.AddSingleton(provider => KeyCache.ForCluster(provider.GetRequiredService<IGrainFactory>(), provider.GetRequiredService<IOptions<RequestDeadlineOptions>>()));
        services.AddKeyRateLimits();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, OrganizationAccessHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AccessResultHandler>();
        // One rule for every /api/v1 endpoint: the key's organization is the route's, and its role allows the endpoint.
        services.AddAuthorization(options => options.DefaultPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(BearerKeyHandler.SchemeName)
            .RequireAuthenticatedUser()
            .AddRequirements(new OrganizationAccessRequirement())
            .Build());
        services.AddSingleton(provider => new Alerts.Contracts.ReportCoalescer(provider.GetRequiredService<IGrainFactory>()));
        return services;
    }

    /// <summary>The middleware and every route: the API under /api/v1, OpenAPI and its reference, health, the admin UI.</summary>
    public static WebApplication MapAlertsHttp(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // The admin UI's files (Chart.js from tools/, copied at build) are served before routing picks the UI's fallback
        // page; API requests skip the file lookup.
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal), files => files.UseStaticFiles());
        app.UseRouting();
        app.UseAuthentication();
        // Requests per organization key (after authentication, which names the key; before any work). Only requests with
        // an organization key go through the limiter: the operator key is not limited, and its requests (the reporting
        // services' hot path) do not pay for the middleware.
        app.UseWhen(context => context.User.HasClaim(static claim => claim.Type == AccessClaims.Organization), limited => limited.UseRateLimiter());
        app.UseAuthorization();

        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        // A readable reference beside the document, rendered by Scalar from assets in its package (nothing from a CDN:
        // not its fonts either, which the page's Content-Security-Policy would refuse).
        app.MapScalarApiReference("/reference", options => options
                .WithTitle("Alerts API")
                .DisableDefaultFonts()
                .WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();
        // The admin UI: every other /ui path is its one page (hash routes).
        app.MapGet("/", () => Results.Redirect("/ui/")).ExcludeFromDescription();
        app.MapFallbackToFile("/ui/{**path}", "ui/index.html");
        app.MapHealthApi();
        app.MapGroup("/api/v1")
            .RequireAuthorization()
            .AddEndpointFilter<RequestDeadlineFilter>()
            .MapOrganizationsApi()
            .MapUsersApi()
            .MapIntegrationsApi()
            .MapEventsApi()
            .MapNotificationsApi()
            .MapDecisionsApi()
            .MapMutesApi()
            .MapTargetsApi()
            .MapErrorsApi()
            .MapConnectionsApi()
            .MapWebhooksApi()
            .MapKeysApi()
            .MapCatalogApi()
            .MapDashboardApi();
        return app;
    }
}
