using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// Issue 21, item 6, through real HTTP: the admin UI and the API reference send a Content-Security-Policy that allows no
/// inline script and no other origin and forbids framing; everything sends nosniff and no referrer; API answers, which
/// hold a tenant's data, are never cached.
/// </summary>
[Collection(StackTests.Name)]
public sealed partial class HttpHygieneTests(StackFixture stack)
{
    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(", ", content) : "";

    private static Dictionary<string, string> Directives(string policy) =>
        policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Contains(' ', StringComparison.Ordinal) ? d[(d.IndexOf(' ', StringComparison.Ordinal) + 1)..] : "");

    [Theory]
    [InlineData("/ui/")]
    [InlineData("/ui/app.js")]
    [InlineData("/ui/dashboard")]
    public async Task The_admin_ui_allows_only_its_own_files_and_no_framing(string path)
    {
        using var response = await stack.Anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = Directives(Header(response, "Content-Security-Policy"));
        Assert.Equal("'self'", policy["default-src"]);
        Assert.Equal("'self'", policy["script-src"]);
        Assert.Equal("'self'", policy["style-src"]);
        Assert.Equal("'none'", policy["frame-ancestors"]);
        Assert.Equal("'none'", policy["object-src"]);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public async Task The_reference_allows_exactly_its_own_inline_bootstrap_script()
    {
        using var response = await stack.Anonymous.GetAsync("/reference/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        var policy = Directives(Header(response, "Content-Security-Policy"));
        var inline = InlineScript().Matches(page).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(inline);
        var allowed = policy["script-src"].Split(' ');
        Assert.Equal(["'self'", .. inline.Select(script => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)))}'")], allowed);
        Assert.DoesNotContain("'unsafe-inline'", allowed);
        Assert.DoesNotContain(policy.Values, value => value.Contains("http", StringComparison.Ordinal));
        Assert.Equal("'none'", policy["frame-ancestors"]);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
    }

    [Fact]
    public async Task Api_answers_are_not_cached_whether_authorized_refused_or_failed()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        using var ok = await stack.Api.GetAsync(org.Path);
        using var unauthorized = await stack.Anonymous.GetAsync(org.Path);
        using var invalid = await stack.Api.PutAsync($"{org.Path}/users/x", new StringContent("{", Encoding.UTF8, "application/json"));
        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest],
            [ok.StatusCode, unauthorized.StatusCode, invalid.StatusCode]);
        foreach (var response in new[] { ok, unauthorized, invalid })
        {
            Assert.Equal("no-store", Header(response, "Cache-Control"));
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        }
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();
}
