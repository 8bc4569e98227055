using Alerts.Grains.Notify;

namespace Alerts.Tests.Policies;

public sealed class RecipientTests
{
    [Fact]
    public void An_email_recipient_is_kept_as_its_address_so_existing_rows_read_as_email()
    {
        Assert.Equal("ops@acme.test", Recipient.Email("ops@acme.test").Key);
        Assert.Equal(Recipient.Email("ops@acme.test"), Recipient.Parse("ops@acme.test"));
    }

    [Theory]
    [InlineData("slack", "https://hooks.slack.test/services/T0/B0/x?y=1")]
    [InlineData("teams", "https://acme.webhook.office.test/webhookb2/a@b/IncomingWebhook/c/d")]
    public void Any_other_channel_round_trips_through_its_key(string channel, string address)
    {
        var recipient = new Recipient(channel, address);
        Assert.Equal($"{channel} {address}", recipient.Key);
        Assert.Equal(recipient, Recipient.Parse(recipient.Key));
    }
}
