using Alerts.Contracts;
using Alerts.Grains.Organization;
using Alerts.Grains.Projection;

namespace Alerts.Grains.Lifecycle;

/// <summary>
/// The errors API over an organization (SPEC §3): each integration grain tracks its own errors from the journal's
/// commits; a listing asks them as of a projected moment and pages the merged result, a resolution goes to the one
/// integration the error id names. Holds nothing of its own.
/// </summary>
internal sealed class ErrorQueries(IOrganizationHost host, Members members, People people, ProjectionPump projection)
{
    public async Task<ErrorPage> ListAsync(ErrorQuery query)
    {
        if (query.Limit is < 1 or > ErrorQuery.MaxLimit) ProfileRules.ThrowIfInvalid(("limit", $"must be 1 to {ErrorQuery.MaxLimit}"));
        (long Ticks, string Id)? after = null;
        if (query.Cursor is not null) after = ErrorCursor.Decode(query.Cursor) ?? throw ProfileRules.Invalid("cursor", "is not one this API issued (use the previous page's next)");
        if (host.State.Profile is null) return new ErrorPage([], null);
        var asOf = await projection.ProjectedAsOfAsync(TimeSpan.FromSeconds(5)) ?? DateTimeOffset.MinValue;
        var integrations = query.IntegrationId is { } only
            ? members.Integrations.ContainsKey(only) ? [only] : []
            : members.Integrations.Keys.ToList();
        var found = new List<ErrorView>();
        foreach (var errors in await Task.WhenAll(integrations.Select(id => Errors(id).ErrorsAsync(asOf))))
        {
            foreach (var error in errors)
            {
                if (query.Status is { } status && error.Status != status) continue;
                if (query.Flow is { } flow && error.Flow != flow) continue;
                if (after is { } cursor && ErrorCursor.Compare(error, cursor) <= 0) continue;
                found.Add(error);
            }
        }
        var page = found.OrderBy(error => error, Comparer<ErrorView>.Create((a, b) => ErrorCursor.Compare(a, ErrorCursor.Of(b)))).Take(query.Limit + 1).ToList();
        var next = page.Count > query.Limit ? ErrorCursor.Encode(page[query.Limit - 1]) : null;
        return new ErrorPage(page.Take(query.Limit).ToList(), next);
    }

    public async Task<ResolveResult> ResolveAsync(string errorId, string userId)
    {
        if (await people.GetAsync(userId) is not { } user) return new ResolveResult(ResolveStatus.NoSuchUser, null);
        if (user.Profile.Role != UserRole.Admin) return new ResolveResult(ResolveStatus.NotAdmin, null);
        if (!ErrorIds.TryParse(errorId, out var integrationId, out var number) || !members.Integrations.ContainsKey(integrationId))
            return new ResolveResult(ResolveStatus.NoSuchError, null);
        await projection.CatchUpAsync(host.State.JournalPosition);
        var resolved = await Errors(integrationId).ResolveAsync(number, userId, host.Now);
        return resolved switch
        {
            null => new ResolveResult(ResolveStatus.NoSuchError, null),
            { Changed: true } => new ResolveResult(ResolveStatus.Resolved, resolved.Value.Error),
            _ => new ResolveResult(ResolveStatus.AlreadyResolved, resolved.Value.Error),
        };
    }

    /// <summary>An integration's errors (organization → integration; not public).</summary>
    public IIntegrationErrors Errors(string integrationId) =>
        host.GrainFactory.GetGrain<IIntegrationErrors>(GrainKeys.Integration(host.OrgId, integrationId));
}
