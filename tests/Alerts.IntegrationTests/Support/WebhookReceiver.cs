using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Alerts.IntegrationTests.Support;

/// <summary>
/// A webhook receiver on 127.0.0.1 (Kestrel, a port the OS picks, so no race for it): records every POST with its headers
/// and body, and answers each path as a test scripts it (200 by default).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Path, DateTimeOffset At, IReadOnlyDictionary<string, string> Headers, string Body);

    /// <summary>An answer: a status and, optionally, a Retry-After header.</summary>
    public sealed record Answer(int Status, string? RetryAfter = null);

    private readonly ConcurrentQueue<Received> _received = new();
    private readonly ConcurrentDictionary<string, Func<int, Answer>> _script = new(StringComparer.Ordinal);
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    public async Task<WebhookReceiver> StartAsync()
    {
        (_app, BaseUrl) = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/{**path}", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                var path = context.Request.Path.Value ?? "/";
                var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
                _received.Enqueue(new Received(path, DateTimeOffset.UtcNow, headers, body));
                var count = _received.Count(r => r.Path == path);
                var answer = _script.TryGetValue(path, out var script) ? script(count) : new Answer(200);
                if (answer.RetryAfter is { } retryAfter) context.Response.Headers.RetryAfter = retryAfter;
                context.Response.StatusCode = answer.Status;
                await context.Response.WriteAsync(answer.Status < 300 ? "thanks" : $"failing with {answer.Status}");
            });
        });
        return this;
    }

    public string Url(string path) => $"{BaseUrl}{path}";

    /// <summary>How a path answers: given the number of the request (1 for the first), the answer.</summary>
    public void Script(string path, Func<int, Answer> answer) => _script[path] = answer;

    public IReadOnlyList<Received> At(string path) => _received.Where(r => r.Path == path).ToList();

    /// <summary>Waits until the path received at least <paramref name="count"/> requests.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(string path, int count, TimeSpan timeout)
    {
        await Eventually.TrueAsync(() => At(path).Count >= count, $"{path} received {count} request(s) (has {At(path).Count})", timeout);
        return At(path);
    }

    /// <summary>
    /// Checks a delivery with the reference Standard Webhooks library (npm <c>standardwebhooks</c>, installed in tools/):
    /// an implementation that shares nothing with Alerts' own. Returns its output ("verified run_failed" or "refused: …").
    /// </summary>
    public static async Task<(bool Verified, string Output)> VerifyWithReferenceAsync(Received delivery, string secret)
    {
        var start = new ProcessStartInfo("node", Path.Combine(Repository.Root, "tools", "verify-webhook.cjs"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Path.Combine(Repository.Root, "tools"),
        };
        using var process = Process.Start(start)!;
        var input = JsonSerializer.Serialize(new
        {
            secret,
            headers = new Dictionary<string, string>
            {
                ["webhook-id"] = delivery.Headers["webhook-id"],
                ["webhook-timestamp"] = delivery.Headers["webhook-timestamp"],
                ["webhook-signature"] = delivery.Headers["webhook-signature"],
            },
            body = delivery.Body,
        });
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode == 0, output.Trim());
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
