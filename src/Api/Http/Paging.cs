using Alerts.Contracts;

namespace Alerts.Api.Http;

/// <summary>
/// <c>?limit=</c> (1–1,000, default 100) and <c>?cursor=</c> (the previous page's <c>next</c>) of every list by id:
/// users, integrations, connections, keys, webhooks.
/// </summary>
public static class Paging
{
    public const string Help = "?limit=1-1000 (default 100)&cursor= (the previous page's next)";

    public static ProblemHttpResult? Parse(int? limit, string? cursor, out ListQuery query)
    {
        query = new ListQuery();
        if (limit is < 1 or > ListQuery.MaxLimit) return Problems.Invalid("limit", $"must be 1 to {ListQuery.MaxLimit}");
        string? after = null;
        if (cursor is not null && (after = ListCursor.Decode(cursor)) is null)
            return Problems.Invalid("cursor", "is not a cursor this list issued (use the previous page's next)");
        query = new ListQuery(limit ?? ListQuery.DefaultLimit, after);
        return null;
    }
}
