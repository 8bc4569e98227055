using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Alerts.Contracts;
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
/// <c>Authorization: Bearer &lt;key&gt;</c>: the operator key (compared as SHA-256 digests in constant time), or an
/// organization key <c>alk_{id}_{secret}</c>, found by its id (<see cref="KeyCache"/>) and checked against its stored
/// digest the same way. The principal carries the role and, for an organization key, its organization
/// (<see cref="AccessClaims"/>); what it may do is decided once, by <see cref="OrganizationAccessHandler"/>.
/// </summary>
public sealed class BearerKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<OperatorKeyOptions> keys,
    KeyCache cache,
    FailedAuthentications failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "BearerKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Task.FromResult(AuthenticateResult.NoResult());
        var presented = header["Bearer ".Length..].Trim();
        if (KeyRoles.IdOf(presented) is { } keyId)
        {
            if (cache.TryGetCached(keyId, out var cached)) return Task.FromResult(Check(presented, keyId, cached));
            // A lookup costs a grain call: an address that has used its budget of failures gets none.
            if (failures.Exhausted(FailedAuthentications.AddressOf(Context)) is { } wait) return Task.FromResult(Limited(wait));
            return OrganizationKeyAsync(presented, keyId);
        }
        // The operator key: no await, no lookup (the hot path of reporting services that hold it).
        return Task.FromResult(SameKey(presented, OperatorDigest) ? OperatorTicket : Failed());
    }

    private async Task<AuthenticateResult> OrganizationKeyAsync(string presented, string keyId) =>
        Check(presented, keyId, await cache.GetAsync(keyId, Context.RequestAborted));

    /// <summary>A failure is counted against the client's address; past its budget the answer is 429 instead of 401.</summary>
    private AuthenticateResult Failed() =>
        failures.Count(FailedAuthentications.AddressOf(Context)) is { } wait ? Limited(wait) : AuthenticateResult.Fail("unknown key");

    private AuthenticateResult Limited(TimeSpan wait)
    {
        Context.Items[FailedAuthentications.LimitedItem] = wait;
        return AuthenticateResult.Fail("too many failed authentications");
    }

    private AuthenticateResult Check(string presented, string keyId, KeyGrant? grant)
    {
        if (grant is null || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), grant.Digest))
            return Failed();
        List<Claim> claims = [new Claim(AccessClaims.Role, grant.Role.Wire()), new Claim(AccessClaims.Organization, grant.OrgId), new Claim(ClaimTypes.Name, keyId)];
        if (grant.UserId is { } userId) claims.Add(new Claim(AccessClaims.User, userId));
        var identity = new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, AccessClaims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private byte[] OperatorDigest => cache.DigestOf(keys.Value.OperatorKey);

    /// <summary>The operator's principal never changes: built once.</summary>
    private static readonly AuthenticateResult OperatorTicket = AuthenticateResult.Success(new AuthenticationTicket(
        new ClaimsPrincipal(new ClaimsIdentity([new Claim(AccessClaims.Role, AccessClaims.Operator), new Claim(ClaimTypes.Name, "operator")],
            SchemeName, ClaimTypes.Name, AccessClaims.Role)), SchemeName));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[FailedAuthentications.LimitedItem] is TimeSpan wait)
        {
            await TooManyRequests.RefuseAsync(Context, wait, "Too many failed authentications from this address; wait before trying again.");
            return;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Authentication required.",
            detail: "Send 'Authorization: Bearer <key>' with a valid key.").ExecuteAsync(Context);
    }

    private bool SameKey(string presented, byte[] expectedDigest) =>
        keys.Value.OperatorKey.Length > 0 && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expectedDigest);
}
