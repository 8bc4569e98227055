using System.Net;
using Alerts.Grains.Webhooks;
using Alerts.Grains.Stores;

namespace Alerts.Tests.Policies;

/// <summary>SPEC §6.6 with a fake resolver: no test sends traffic anywhere.</summary>
public sealed class WebhookUrlGuardTests
{
    private static Func<string, CancellationToken, Task<IPAddress[]>> Resolves(params string[] addresses) =>
        (_, _) => Task.FromResult(addresses.Select(IPAddress.Parse).ToArray());

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.0.0.1/hook")]
    [InlineData("http://172.20.1.1/hook")]
    [InlineData("http://192.168.1.10/hook")]
    [InlineData("http://100.100.100.200/hook")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://[fd00:ec2::254]/")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[::ffff:10.0.0.1]/hook")]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[64:ff9b::a00:1]/hook")]       // NAT64 of 10.0.0.1
    [InlineData("http://[64:ff9b::a9fe:a9fe]/hook")]   // NAT64 of 169.254.169.254
    [InlineData("http://[2002:a00:1::1]/hook")]        // 6to4 of 10.0.0.1
    [InlineData("http://[2001:0:4136:e378::1]/hook")]  // Teredo
    [InlineData("http://[::a00:1]/hook")]              // IPv4-compatible
    [InlineData("http://[100::1]/hook")]               // discard-only
    public async Task Literal_non_public_addresses_are_refused(string url) =>
        Assert.NotNull(await WebhookUrlGuard.CheckAsync(url, allowLoopback: false, Resolves()));

    [Theory]
    [InlineData("64:ff9b::5db8:d70e")] // NAT64 of 93.184.215.14
    [InlineData("2002:5db8:d70e::1")]  // 6to4 of 93.184.215.14
    public void IPv6_forms_of_public_IPv4_addresses_are_allowed(string address) =>
        Assert.True(WebhookUrlGuard.IsAllowed(IPAddress.Parse(address), allowLoopback: false));

    [Fact]
    public void A_host_name_longer_than_DNS_allows_is_refused_by_shape() =>
        Assert.NotNull(WebhookUrlGuard.ShapeProblem($"https://{new string('a', 60)}.{new string('b', 60)}.{new string('c', 60)}.{new string('d', 60)}.{new string('e', 10)}.example/"));

    [Fact]
    public async Task A_name_resolving_to_any_private_address_is_refused()
    {
        // Refused without naming the private address it found (issue 21: no network map for whoever registers URLs).
        Assert.Equal("host 'hooks.example.com' resolves to a private address",
            await WebhookUrlGuard.CheckAsync("https://hooks.example.com/x", false, Resolves("93.184.215.14", "10.1.2.3")));
        Assert.Null(await WebhookUrlGuard.CheckAsync("https://hooks.example.com/x", false, Resolves("93.184.215.14")));
    }

    [Fact]
    public async Task Loopback_only_when_allowed_and_nothing_else_private_then()
    {
        Assert.Null(await WebhookUrlGuard.CheckAsync("http://127.0.0.1:5000/hook", allowLoopback: true, Resolves()));
        Assert.Null(await WebhookUrlGuard.CheckAsync("http://localhost:5000/hook", allowLoopback: true, Resolves("127.0.0.1", "::1")));
        Assert.NotNull(await WebhookUrlGuard.CheckAsync("http://10.0.0.1/hook", allowLoopback: true, Resolves()));
        Assert.NotNull(await WebhookUrlGuard.CheckAsync("http://localhost:5000/hook", allowLoopback: false, Resolves("127.0.0.1")));
    }

    [Theory]
    [InlineData("ftp://example.com/x")]
    [InlineData("/relative/path")]
    [InlineData("https://user:pass@example.com/x")]
    [InlineData("not a url")]
    public async Task Urls_of_the_wrong_shape_are_refused(string url) =>
        Assert.NotNull(await WebhookUrlGuard.CheckAsync(url, false, Resolves("93.184.215.14")));

    [Fact]
    public async Task A_name_that_does_not_resolve_is_refused()
    {
        Assert.NotNull(await WebhookUrlGuard.CheckAsync("https://nowhere.example/x", false, Resolves()));
        Assert.NotNull(await WebhookUrlGuard.CheckAsync("https://nowhere.example/x", false,
            (_, _) => Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException(11001))));
    }
}
