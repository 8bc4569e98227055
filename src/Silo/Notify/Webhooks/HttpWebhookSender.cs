using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Alerts.Grains.Webhooks;
using Alerts.Grains.Stores;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Alerts.Silo.Notify.Webhooks;

/// <summary>
/// The webhook channel over HTTP: one signed <c>POST</c> per attempt through a named client of
/// <see cref="IHttpClientFactory"/>, its time limited by a resilience pipeline (Microsoft.Extensions.Http.Resilience).
/// Retries are not done here: they are the subscription's durable schedule. Every connection goes through
/// <see cref="ConnectAsync"/>, which resolves the host and refuses non-public addresses (SPEC §6.6) on the very addresses it
/// connects to, so a DNS answer that changed since registration (rebinding) cannot reach the inside. No redirects.
/// </summary>
public sealed class HttpWebhookSender(IHttpClientFactory clients, IOptions<DeliveryOptions> options) : IWebhookSender
{
    public const string ClientName = "webhooks";

    /// <summary>Registers the named client: no redirects, no cookies, no proxy; the guarded connect; the attempt timeout.</summary>
    public static void Register(IServiceCollection services)
    {
        // Request logs would name the URL: a delivery target's path, a subscription's query, are credentials.
        services.AddHttpClient(ClientName, client =>
            {
                client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Alerts-Webhooks", "1.0"));
                client.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's timeout below
            })
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var allowLoopback = sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.AllowLoopback;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    UseProxy = false,
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                    ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowLoopback, cancellationToken),
                };
            })
            .AddResilienceHandler("webhook-attempt", (pipeline, context) =>
            {
                var timeout = context.ServiceProvider.GetRequiredService<IOptions<DeliveryOptions>>().Value.Timeout;
                pipeline.AddTimeout(timeout);
            });
    }

    /// <summary>
    /// The addresses a host resolves to, all of them allowed (SPEC §6.6); throws <see cref="WebhookRefusedException"/> when
    /// any is not, before anything connects. A literal address is not resolved.
    /// </summary>
    public static async Task<IPAddress[]> AllowedAddressesAsync(
        string host, bool allowLoopback, Func<string, CancellationToken, Task<IPAddress[]>> resolve, CancellationToken cancellationToken)
    {
        var (addresses, problem) = await WebhookUrlGuard.ResolveAsync(host, allowLoopback, resolve, cancellationToken);
        return problem is null ? addresses : throw new WebhookRefusedException(problem);
    }

    /// <summary>Connects to the host's addresses once <see cref="AllowedAddressesAsync"/> allowed every one of them.</summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowLoopback, CancellationToken cancellationToken)
    {
        var addresses = await AllowedAddressesAsync(endpoint.Host, allowLoopback, (host, ct) => Dns.GetHostAddressesAsync(host, ct), cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task<string?> CheckUrlAsync(string url, CancellationToken cancellationToken) =>
        WebhookUrlGuard.CheckAsync(url, options.Value.AllowLoopback, (host, ct) => Dns.GetHostAddressesAsync(host, ct), cancellationToken);

    public async Task<WebhookResponse> SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        if (WebhookUrlGuard.ShapeProblem(request.Url) is { } shape) return new WebhookResponse(null, TimeSpan.Zero, $"url {shape}", null, null);
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = new ReadOnlyMemoryContent(request.Body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.TryAddWithoutValidation("webhook-id", request.MessageId);
        message.Headers.TryAddWithoutValidation("webhook-timestamp", request.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (request.Signature.Length > 0) message.Headers.TryAddWithoutValidation("webhook-signature", request.Signature); // chat targets are not signed
        // One deadline for the whole attempt, the reply's body included (the pipeline's timeout ends at its headers).
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.Timeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var body = await ReadStartAsync(response, deadline.Token);
            var retryAfter = response.Headers.RetryAfter is { } header
                ? header.Delta is { } delta ? ((int)delta.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : header.Date?.ToString("R")
                : null;
            return new WebhookResponse((int)response.StatusCode, watch.Elapsed, null, body, retryAfter);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookResponse(null, watch.Elapsed, Describe(exception), null, null);
        }
    }

    /// <summary>The first <see cref="WebhookResponse.BodyKept"/> characters of the reply (the rest is not read).</summary>
    private static async Task<string?> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[WebhookResponse.BodyKept * 4];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
                if (n == 0) break;
                read += n;
            }
            if (read == 0) return null;
            var text = System.Text.Encoding.UTF8.GetString(buffer, 0, read);
            return text.Length > WebhookResponse.BodyKept ? text[..WebhookResponse.BodyKept] : text;
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static string Describe(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is WebhookRefusedException refused) return "refused: " + refused.Message;
        }
        return exception switch
        {
            Polly.Timeout.TimeoutRejectedException => "timed out",
            TaskCanceledException => "timed out",
            // Refused, unreachable or reset alike: what the owner needs is that no connection was made, not a port scan.
            HttpRequestException { InnerException: SocketException } => "connection failed",
            HttpRequestException http => $"request failed: {http.Message}",
            _ => $"{exception.GetType().Name}: {exception.Message}",
        };
    }
}

/// <summary>The guard refused the address a host resolved to at delivery time.</summary>
public sealed class WebhookRefusedException(string message) : Exception(message);
