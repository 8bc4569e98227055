using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Alerts.Api.Http;

/// <summary>
/// Browser and HTTP hygiene on every answer: <c>X-Content-Type-Options: nosniff</c> and <c>Referrer-Policy: no-referrer</c>
/// everywhere; <c>Cache-Control: no-store</c> on the API (its answers hold a tenant's data); a Content-Security-Policy
/// on the admin UI (its own files only, no inline script or style, no framing) and on the API reference, whose page has
/// one inline bootstrap script: it is allowed by its hash, computed from the page as served, so nothing else inline runs.
/// </summary>
public sealed partial class SecurityHeaders(RequestDelegate next)
{
    /// <summary>The admin UI: its own scripts, styles, images and API calls; nothing inline, nothing from elsewhere.</summary>
    public const string UiPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The reference (Scalar): its bundle sets styles at run time, so inline styles are allowed; scripts are not.</summary>
    private static string ReferencePolicy(IEnumerable<string> scripts) =>
        $"default-src 'self'; script-src {string.Join(' ', scripts.Prepend("'self'"))}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        var policy = path.StartsWithSegments("/ui", StringComparison.Ordinal) || path == "/" ? UiPolicy
            : path.StartsWithSegments("/reference", StringComparison.Ordinal) ? ReferencePolicy([])
            : null;
        var api = path.StartsWithSegments("/api", StringComparison.Ordinal);
        // Set as the answer starts: an error answer (the exception handler clears what was set before) gets them too.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (api) headers.CacheControl = "no-store";
            if (policy is not null && !headers.ContainsKey("Content-Security-Policy")) headers.ContentSecurityPolicy = policy;
            return Task.CompletedTask;
        });
        if (path.Value is "/reference" or "/reference/") await ServeReferencePageAsync(context);
        else await next(context);
    }

    /// <summary>The reference's page (a few hundred bytes) is buffered so its inline script's hash can go in the policy.</summary>
    private async Task ServeReferencePageAsync(HttpContext context)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        var page = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        context.Response.Headers.ContentSecurityPolicy = ReferencePolicy(InlineScriptHashes(page));
        context.Response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>The CSP source for each inline <c>&lt;script&gt;</c> of a page: <c>'sha256-…'</c> of its text.</summary>
    public static IEnumerable<string> InlineScriptHashes(string page) =>
        InlineScript().Matches(page).Select(match => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(match.Groups["body"].Value)))}'");

    [GeneratedRegex(@"<script(?![^>]*\bsrc\s*=)[^>]*>(?<body>.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
