using System.Security.Claims;
using Alerts.Api.Http;
using Alerts.Api.Resources;
using Alerts.Contracts;

namespace Alerts.Api.Auth;

/// <summary>
/// Who makes a change that is recorded with a user's name (resolving an error, a mute's audit trail): a key tied to a
/// user acts as that user, and naming anyone else is a 403; otherwise the body must name a user.
/// </summary>
public static class ActingUser
{
    /// <returns>A problem naming <paramref name="field"/>, or null with the user in <paramref name="userId"/>.</returns>
    public static ProblemHttpResult? Resolve(ClaimsPrincipal caller, string? named, string field, string whenMissing, out string userId)
    {
        var own = AccessClaims.UserOf(caller);
        userId = named ?? own ?? "";
        if (own is not null && named is not null && named != own)
            return Problems.Invalid(field, $"must be '{own}' (or left out): this key belongs to that user", StatusCodes.Status403Forbidden);
        if (userId.Length == 0) return Problems.Invalid(field, whenMissing);
        return GrainKeys.IsValidId(userId) ? null : Problems.Invalid(field, IdRules.Problem);
    }
}
