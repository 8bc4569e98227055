using Scalar.AspNetCore;
using Alerts.Api.Auth;
using Alerts.Api.Http;
using Alerts.Api.Resources;

// Settings (appsettings.json) come from beside the program, whatever folder it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.Services.ConfigureHttpJsonOptions(json => ApiJson.Configure(json.SerializerOptions));
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ExceptionMapping>();
builder.Services.AddOpenApi();

builder.Services.AddOptions<OperatorKeyOptions>().BindConfiguration(OperatorKeyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddAuthentication(BearerKeyHandler.SchemeName).AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerKeyHandler>(BearerKeyHandler.SchemeName, null);
builder.Services.AddSingleton<KeyCache>();
builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, OrganizationAccessHandler>();
builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AccessResultHandler>();
// One rule for every /api/v1 endpoint: the key's organization is the route's, and its role allows the endpoint.
builder.Services.AddAuthorization(options => options.DefaultPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(BearerKeyHandler.SchemeName)
    .RequireAuthenticatedUser()
    .AddRequirements(new OrganizationAccessRequirement())
    .Build());

builder.UseOrleansClient(client => client.UseAlertsCluster(builder.Configuration));
builder.Services.AddSingleton(services => new Alerts.Contracts.ReportCoalescer(services.GetRequiredService<IGrainFactory>()));

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
// The admin UI's files (Chart.js from tools/, copied at build) are served before routing picks the UI's fallback page.
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();

app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
// A readable reference beside the document, rendered by Scalar from assets in its package (nothing from a CDN).
app.MapScalarApiReference("/reference", options => options
        .WithTitle("Alerts API")
        .WithOpenApiRoutePattern("/openapi/{documentName}.json"))
    .AllowAnonymous();
// The admin UI: every other /ui path is its one page (hash routes).
app.MapGet("/", () => Results.Redirect("/ui/")).ExcludeFromDescription();
app.MapFallbackToFile("/ui/{**path}", "ui/index.html");
app.MapHealthApi();
app.MapGroup("/api/v1")
    .RequireAuthorization()
    .MapOrganizationsApi()
    .MapUsersApi()
    .MapIntegrationsApi()
    .MapEventsApi()
    .MapNotificationsApi()
    .MapErrorsApi()
    .MapConnectionsApi()
    .MapWebhooksApi()
    .MapKeysApi()
    .MapCatalogApi()
    .MapDashboardApi();

app.Run();

/// <summary>Visible to the tests' web application factory.</summary>
public partial class Program;
