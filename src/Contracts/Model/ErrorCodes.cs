using System.Net;
using System.Text.RegularExpressions;

namespace Alerts.Contracts;

/// <summary>Names of the status and error codes integrations report: HTTP codes, and the platform's own codes.</summary>
public static partial class ErrorCodes
{
    private static readonly Dictionary<int, string> Extra = new()
    {
        // HttpStatusCode has two names for these; these are the RFC 9110 ones.
        [300] = "Multiple Choices",
        [301] = "Moved Permanently",
        [302] = "Found",
        [303] = "See Other",
        [307] = "Temporary Redirect",
        [418] = "I'm a Teapot",
        [499] = "Client Closed Request",
        [520] = "Unknown Error From Origin",
        [521] = "Origin Is Down",
        [522] = "Connection Timed Out",
        [523] = "Origin Is Unreachable",
        [804] = "Platform Error 804",
        [811] = "Platform Error 811",
        [816] = "Platform Error 816",
        [844] = "Platform Error 844",
        [852] = "Platform Error 852",
        [882] = "Platform Error 882",
        [883] = "Platform Error 883",
        [884] = "Platform Error 884",
    };

    [GeneratedRegex("(?<=[a-z])(?=[A-Z])")]
    private static partial Regex WordBoundary();

    /// <summary>"Not Found" for 404; an empty string for a code nobody named.</summary>
    public static string Name(int? code)
    {
        if (code is not { } value) return "";
        if (Extra.TryGetValue(value, out var known)) return known;
        return Enum.IsDefined(typeof(HttpStatusCode), value)
            ? WordBoundary().Replace(((HttpStatusCode)value).ToString(), " ")
            : "";
    }
}
