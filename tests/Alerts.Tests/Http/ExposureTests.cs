using System.Net;
using Alerts.Api.Auth;
using Alerts.Silo.Hosting;

namespace Alerts.Tests.Http;

/// <summary>
/// Issue 21, item 1: deployment defaults that do not open the door. The development operator key only behind loopback;
/// the Orleans ports (no authentication, no TLS) only on a private network unless the operator vouches for a firewall.
/// </summary>
public sealed class ExposureTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5000;https://localhost:5001")]
    [InlineData("http://[::1]:5080")]
    public void The_development_key_is_allowed_behind_loopback(string? urls) =>
        Assert.True(DevelopmentKeyGuard.Allows(DevelopmentKeyGuard.DevelopmentKey, urls));

    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://*:5080")]
    [InlineData("http://+:5080")]
    [InlineData("http://[::]:5080")]
    [InlineData("http://127.0.0.1:5080;http://10.0.0.4:5080")]
    [InlineData("http://alerts.example.com:80")]
    public void The_development_key_is_refused_beyond_loopback_and_any_other_key_is_not(string urls)
    {
        Assert.False(DevelopmentKeyGuard.Allows(DevelopmentKeyGuard.DevelopmentKey, urls));
        Assert.True(DevelopmentKeyGuard.Allows("a-real-secret-of-enough-length", urls));
    }

    private static readonly IPAddress[] PrivateInterfaces = [IPAddress.Loopback, IPAddress.Parse("10.1.2.3"), IPAddress.Parse("fd00::2")];

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.5")]
    [InlineData("172.18.0.3")]
    [InlineData("192.168.1.9")]
    public void A_silo_advertising_a_private_address_starts(string address) =>
        Assert.Null(OrleansExposure.Problem(new SiloOptions { AdvertisedAddress = address }, IPAddress.Parse(address), []));

    [Fact]
    public void A_silo_advertising_a_public_address_is_refused_with_what_to_do_unless_allowed()
    {
        var problem = OrleansExposure.Problem(new SiloOptions(), IPAddress.Parse("8.8.4.4"), []);
        Assert.NotNull(problem);
        Assert.Contains("8.8.4.4 is a public address", problem);
        Assert.Contains("Alerts__Silo__AllowPublicAddress=true", problem);
        Assert.Null(OrleansExposure.Problem(new SiloOptions { AllowPublicAddress = true }, IPAddress.Parse("8.8.4.4"), []));
    }

    [Fact]
    public void Listening_on_every_interface_is_refused_when_one_of_them_is_public()
    {
        var anywhere = new SiloOptions { ListenOnAnyAddress = true };
        Assert.Null(OrleansExposure.Problem(anywhere, IPAddress.Parse("10.1.2.3"), PrivateInterfaces));
        var problem = OrleansExposure.Problem(anywhere, IPAddress.Parse("10.1.2.3"), [.. PrivateInterfaces, IPAddress.Parse("2001:4860::8888")]);
        Assert.Contains("public address 2001:4860::8888", problem);
    }
}
