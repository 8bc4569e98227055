using System.Net;
using System.Text.RegularExpressions;

namespace Alerts.Contracts;

/// <summary>Names of the status and error codes integrations report: HTTP codes, and the platform's own codes.</summary>
public static partial class ErrorCodes
{
    private static readonly Dictionary<int, string> Extra = new()
    {
        // HttpStatusCode has two names for these; these are the RFC 9110 ones. Cataloged codes take the catalog's name.
        [300] = "Multiple Choices",
        [301] = "Moved Permanently",
        [302] = "Found",
        [303] = "See Other",
        [307] = "Temporary Redirect",
        [418] = "I'm a Teapot",
        [499] = "Client Closed Request",
        [520] = "Unknown Error From Origin",
        [522] = "Connection Timed Out",
    };

    [GeneratedRegex("(?<=[a-z])(?=[A-Z])")]
    private static partial Regex WordBoundary();

    /// <summary>The name of a code, or null when there is no code or nobody named it.</summary>
    public static string? NameOrNull(int? code) => Name(code) is { Length: > 0 } name ? name : null;

    /// <summary>"Not Found" for 404; an empty string for a code nobody named.</summary>
    public static string Name(int? code)
    {
        if (code is not { } value) return "";
        if (ErrorCatalog.Find(value) is { } cataloged) return cataloged.Name;
        if (Extra.TryGetValue(value, out var known)) return known;
        return Enum.IsDefined(typeof(HttpStatusCode), value)
            ? WordBoundary().Replace(((HttpStatusCode)value).ToString(), " ")
            : "";
    }
}
