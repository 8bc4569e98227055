using Alerts.Contracts;

namespace Alerts.Tests.Policies;

public sealed class ProfileRulesTests
{
    private static OrganizationProfile Org(string name = "Acme", string environment = "production", string? contact = null, int? limit = 5) =>
        new(name, environment, true, contact, new IntegrationNotificationSettings(new DirectionSettings(limit, FailureInterval.OneHour), DirectionSettings.Unset));

    [Fact]
    public void A_complete_organization_is_valid() => Assert.Null(ProfileRules.Check(Org(contact: "ops@acme.test")));

    [Theory]
    [InlineData("", "production", null, 5, "name")]
    [InlineData("Acme", "", null, 5, "environment")]
    [InlineData("Acme", "Prod Env", null, 5, "environment")]
    [InlineData("Acme", "production", "not-an-email", 5, "primary_contact")]
    [InlineData("Acme", "production", "Ops <ops@acme.test>", 5, "primary_contact")]
    [InlineData("Acme", "production", null, -1, "settings.integration_notifications.outgoing_integrations.failure_limit")]
    public void Names_the_field_that_is_wrong(string name, string environment, string? contact, int? limit, string field) =>
        Assert.Equal(field, ProfileRules.Check(Org(name, environment, contact, limit))!.Value.Field);

    [Theory]
    [InlineData("ops@acme.test", true)]
    [InlineData("a.b+tag@sub.acme.test", true)]
    [InlineData("ops@", false)]
    [InlineData("@acme.test", false)]
    [InlineData("ops acme@acme.test", false)]
    [InlineData("", false)]
    public void Accepts_only_bare_addresses(string email, bool valid) => Assert.Equal(valid, ProfileRules.IsEmail(email));

    [Fact]
    public void A_user_must_name_known_events()
    {
        var user = new UserProfile("ops@acme.test", "Ops", UserRole.Admin, [NotificationEvents.OutgoingIntegrationError, "nope"]);
        Assert.Equal("notification_events[1]", ProfileRules.Check(user)!.Value.Field);
        Assert.Null(ProfileRules.Check(user with { NotificationEvents = [NotificationEvents.IncomingWebhookError, "run_failed"] }));
    }

    [Fact]
    public void Ids_are_checked_for_the_key_separator()
    {
        Assert.True(GrainKeys.IsValidId("acme-prod_1.eu:x@y"));
        Assert.False(GrainKeys.IsValidId("acme/prod"));
        Assert.False(GrainKeys.IsValidId(""));
        Assert.False(GrainKeys.IsValidId(new string('a', 129)));
        Assert.Equal(("acme", "crm"), GrainKeys.Split(GrainKeys.Integration("acme", "crm")));
    }

    [Theory]
    [InlineData("", "event_id")]
    [InlineData("e1", null)]
    public void Attempts_name_their_bad_field(string eventId, string? field) =>
        Assert.Equal(field, AttemptRules.Check(new Attempt(eventId, AttemptOutcome.Error))?.Field);

    [Fact]
    public void A_trace_key_is_at_most_128_characters()
    {
        Assert.Null(AttemptRules.Check(new Attempt("e", AttemptOutcome.Error, TraceKey: new string('k', 128))));
        Assert.Equal("trace_key", AttemptRules.Check(new Attempt("e", AttemptOutcome.Error, TraceKey: new string('k', 129)))!.Value.Field);
    }

    [Fact]
    public void Integration_types_map_to_their_direction()
    {
        Assert.Equal(Direction.Outgoing, IntegrationType.OutboundWebhook.Direction());
        Assert.Equal(Direction.Outgoing, IntegrationType.Prebuilt.Direction());
        Assert.Equal(Direction.Outgoing, IntegrationType.CustomNode.Direction());
        Assert.Equal(Direction.Incoming, IntegrationType.InboundWebhook.Direction());
        Assert.Equal(Direction.Incoming, IntegrationType.CustomEvent.Direction());
        foreach (var wire in IntegrationTypes.WireNames)
        {
            Assert.True(IntegrationTypes.TryParse(wire, out var type));
            Assert.Equal(wire, type.Wire());
        }
    }
}
