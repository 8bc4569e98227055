using System.Net;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// The OpenAPI document (issue 11 item 5) describes every operation of /api/v1: tagged, summarised, its request body,
/// its success body as a named schema and its error responses; and the reference page renders it without any CDN.
/// </summary>
[Collection(StackTests.Name)]
public sealed class OpenApiDocumentTests(StackFixture stack)
{
    private static readonly string[] WithBodies = ["put", "post", "patch"];

    [Fact]
    public async Task Every_operation_is_described_with_its_bodies_and_problems()
    {
        var document = JsonNode.Parse(await stack.Anonymous.GetStringAsync("/openapi/v1.json"))!;
        var schemas = document["components"]!["schemas"]!.AsObject();
        var failures = new List<string>();
        var operations = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (!path.StartsWith("/api/v1", StringComparison.Ordinal)) continue;
            foreach (var (method, operation) in item!.AsObject())
            {
                if (method == "parameters") continue;
                operations++;
                var name = $"{method.ToUpperInvariant()} {path}";
                if (operation!["tags"] is not JsonArray { Count: > 0 }) failures.Add($"{name}: no tag");
                if (string.IsNullOrWhiteSpace((string?)operation["summary"])) failures.Add($"{name}: no summary");
                var responses = operation["responses"]!.AsObject();
                var success = responses.Where(r => r.Key.StartsWith('2')).ToList();
                if (success.Count == 0) failures.Add($"{name}: no success response");
                foreach (var (status, response) in success)
                {
                    if (status == "204") continue;
                    var schema = response!["content"]?["application/json"]?["schema"];
                    var reference = (string?)schema?["$ref"];
                    if (reference is null || !schemas.ContainsKey(reference.Split('/')[^1])) failures.Add($"{name}: {status} has no named schema");
                }
                foreach (var problem in new[] { "400", "401", "404" })
                {
                    if (!responses.ContainsKey(problem)) failures.Add($"{name}: no {problem} response");
                }
                var needsBody = WithBodies.Contains(method) && !path.EndsWith("/enable", StringComparison.Ordinal) && !path.EndsWith("/rotate-secret", StringComparison.Ordinal)
                    && !path.EndsWith("/resend", StringComparison.Ordinal) && !path.EndsWith("/read", StringComparison.Ordinal) && !path.EndsWith("/test-notification", StringComparison.Ordinal)
                    && !path.EndsWith("/test", StringComparison.Ordinal);
                if (needsBody && operation["requestBody"]?["content"]?["application/json"] is null) failures.Add($"{name}: no request body");
            }
        }
        Assert.True(operations >= 44, $"only {operations} operations documented");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // Response bodies are named records, so clients get real types.
        Assert.True(schemas.ContainsKey("WebhookResponse") && schemas.ContainsKey("FailureDetailResponse") && schemas.ContainsKey("NotificationListResponse")
            && schemas.ContainsKey("TargetResponse") && schemas.ContainsKey("TargetCreatedResponse"));
    }

    [Fact]
    public async Task The_reference_page_renders_the_document_from_local_assets()
    {
        using var response = await stack.Anonymous.GetAsync("/reference");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(html.Contains("openapi", StringComparison.Ordinal) && html.Contains("scalar.js", StringComparison.Ordinal), html);
        Assert.DoesNotContain("src=\"https://", html);
        Assert.DoesNotContain("src=\"http://", html);
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"([^\"]*scalar\\.js[^\"]*)\"").Groups[1].Value;
        Assert.NotEqual("", script);
        using var asset = await stack.Anonymous.GetAsync(new Uri(new Uri(stack.Anonymous.BaseAddress!, "/reference/"), script));
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
    }
}
