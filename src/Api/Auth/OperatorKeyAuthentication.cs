using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Alerts.Api.Auth;

/// <summary>Configuration section <c>Alerts</c>: the operator key that may do everything.</summary>
public sealed class OperatorKeyOptions
{
    public const string Section = "Alerts";

    /// <summary>Set with <c>Alerts__OperatorKey</c>; the gateway refuses to start without one.</summary>
    [Required, MinLength(16)] public string OperatorKey { get; set; } = "";
}

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>. Keys are compared as SHA-256 digests in constant time.
/// Organization keys with roles come later and will add claims here.
/// </summary>
public sealed class BearerKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<OperatorKeyOptions> keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "BearerKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Task.FromResult(AuthenticateResult.NoResult());
        var presented = header["Bearer ".Length..].Trim();
        if (!SameKey(presented, keys.Value.OperatorKey)) return Task.FromResult(AuthenticateResult.Fail("unknown key"));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, "operator"), new Claim(ClaimTypes.Name, "operator")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Authentication required.",
            detail: "Send 'Authorization: Bearer <key>' with a valid key.").ExecuteAsync(Context);
    }

    private static bool SameKey(string presented, string expected) =>
        expected.Length > 0 && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
