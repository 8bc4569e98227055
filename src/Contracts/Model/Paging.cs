namespace Alerts.Contracts;

/// <summary>
/// A page of a list ordered by id (users, integrations, connections, keys, webhooks): at most <see cref="Limit"/>
/// (1–<see cref="MaxLimit"/>) items whose ids come after <see cref="After"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.list-query")]
public sealed record ListQuery(
    [property: Id(0)] int Limit = ListQuery.DefaultLimit,
    [property: Id(1)] string? After = null)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1_000;

    /// <summary>Every item, for callers inside the cluster that need all (bounded by the organization's quotas).</summary>
    public static readonly ListQuery All = new(int.MaxValue);

    /// <summary>The page of <paramref name="items"/> this query asks for; <c>Next</c> is the last id when more follow.</summary>
    public ListPage<T> Take<T>(IEnumerable<T> items, Func<T, string> id)
    {
        var after = After;
        var page = items.Where(item => after is null || string.CompareOrdinal(id(item), after) > 0)
            .OrderBy(id, StringComparer.Ordinal)
            .Take(Limit == int.MaxValue ? int.MaxValue : Limit + 1)
            .ToList();
        if (Limit == int.MaxValue || page.Count <= Limit) return new ListPage<T>(page, null);
        page.RemoveAt(Limit);
        return new ListPage<T>(page, id(page[^1]));
    }
}

[GenerateSerializer, Immutable, Alias("alerts.list-page`1")]
public sealed record ListPage<T>(
    [property: Id(0)] IReadOnlyList<T> Items,
    [property: Id(1)] string? Next);

/// <summary>The <c>cursor</c> of a list page on the wire: the last id, base64url-encoded (opaque to callers).</summary>
public static class ListCursor
{
    private const string Prefix = "l:";

    public static string? Encode(string? lastId) => lastId is null ? null : NotificationCursor.Base64Url(System.Text.Encoding.UTF8.GetBytes(Prefix + lastId));

    /// <summary>The id a cursor stands for; null when it is not one a list issued.</summary>
    public static string? Decode(string? cursor) =>
        NotificationCursor.DecodeText(cursor) is { Length: > 2 } text && text.StartsWith(Prefix, StringComparison.Ordinal) && GrainKeys.IsValidId(text[Prefix.Length..])
            ? text[Prefix.Length..]
            : null;
}
