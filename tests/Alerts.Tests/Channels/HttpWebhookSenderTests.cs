using System.Net;
using Alerts.Grains.Webhooks;
using Alerts.Grains.Stores;
using Alerts.Silo.Notify.Webhooks;
using Alerts.Storage.AzureTable;
using Alerts.Storage.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alerts.Tests.Channels;

/// <summary>
/// The delivery-time SSRF guard (SPEC §6.6): checked on the addresses a host resolves to right before connecting, with a
/// fake resolver. Nothing here connects anywhere but 127.0.0.1, even if the guard were broken.
/// </summary>
public sealed class HttpWebhookSenderTests
{
    private static Func<string, CancellationToken, Task<IPAddress[]>> Resolver(params (string Host, string[] Addresses)[] table) =>
        (host, _) => Task.FromResult(table.Single(t => t.Host == host).Addresses.Select(IPAddress.Parse).ToArray());

    [Theory]
    [InlineData("rebound.example", "203.0.113.9", "10.0.0.7")] // one private answer among public ones
    [InlineData("metadata.example", "169.254.169.254")]
    [InlineData("inside.example", "192.168.1.20")]
    [InlineData("v6-inside.example", "fd00:ec2::254")]
    [InlineData("mapped.example", "::ffff:10.1.1.1")]
    [InlineData("local.example", "127.0.0.1")]
    public async Task A_host_resolving_to_a_non_public_address_is_refused_before_connecting(string host, params string[] addresses)
    {
        var refused = await Assert.ThrowsAsync<WebhookRefusedException>(() =>
            HttpWebhookSender.AllowedAddressesAsync(host, allowLoopback: false, Resolver((host, addresses)), CancellationToken.None));
        Assert.Equal($"host '{host}' resolves to a private address", refused.Message);
        // Which address it was is not told: the message must not map a network for whoever registers URLs.
        Assert.DoesNotContain(addresses[^1], refused.Message.Replace($"'{host}'", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Public_addresses_pass_and_loopback_only_when_allowed()
    {
        var resolve = Resolver(("public.example", ["203.0.113.9", "2001:4860:4860::8888"]), ("localhost", ["127.0.0.1", "::1"]));
        Assert.Equal(2, (await HttpWebhookSender.AllowedAddressesAsync("public.example", false, resolve, CancellationToken.None)).Length);
        Assert.Equal(2, (await HttpWebhookSender.AllowedAddressesAsync("localhost", true, resolve, CancellationToken.None)).Length);
        await Assert.ThrowsAsync<WebhookRefusedException>(() => HttpWebhookSender.AllowedAddressesAsync("localhost", false, resolve, CancellationToken.None));
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("10.0.0.1")]
    [InlineData("[fd00::1]")]
    public async Task A_literal_address_is_judged_without_resolving(string host)
    {
        var resolve = Resolver(); // any lookup would fail the test
        await Assert.ThrowsAsync<WebhookRefusedException>(() => HttpWebhookSender.AllowedAddressesAsync(host, true, resolve, CancellationToken.None));
    }

    /// <summary>The sender as the silo registers it, with loopback receivers allowed or not.</summary>
    private static ServiceProvider Sender(bool allowLoopback)
    {
        var services = new ServiceCollection();
        services.AddOptions<DeliveryOptions>().Configure(o => o.AllowLoopback = allowLoopback);
        HttpWebhookSender.Register(services);
        services.AddSingleton<HttpWebhookSender>();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task A_delivery_to_loopback_is_refused_when_loopback_is_not_allowed_and_reported_not_thrown()
    {
        await using var provider = Sender(allowLoopback: false);
        var sender = provider.GetRequiredService<HttpWebhookSender>();

        var response = await sender.SendAsync(new WebhookRequest("http://127.0.0.1:9/hook", "msg_1", 1, "v1,x", "{}"u8.ToArray()), CancellationToken.None);

        Assert.Null(response.StatusCode);
        Assert.False(response.Succeeded);
        Assert.Equal("refused: host '127.0.0.1' resolves to a private address", response.Error);
        Assert.NotNull(await sender.CheckUrlAsync("http://127.0.0.1:9/hook", CancellationToken.None));
        Assert.NotNull(await sender.CheckUrlAsync("http://169.254.169.254/latest", CancellationToken.None));
    }

    [Fact]
    public async Task A_closed_port_and_a_refusing_host_read_alike_in_the_delivery_log()
    {
        await using var provider = Sender(allowLoopback: true);
        var sender = provider.GetRequiredService<HttpWebhookSender>();
        // Nothing listens on port 9 (discard) here: the connection is refused.
        var response = await sender.SendAsync(new WebhookRequest("http://127.0.0.1:9/hook", "msg_1", 1, "v1,x", "{}"u8.ToArray()), CancellationToken.None);

        Assert.Null(response.StatusCode);
        // No socket error code, no address: enough for the owner (nothing answered), nothing for a port scan.
        Assert.Equal("connection failed", response.Error);
    }
}
