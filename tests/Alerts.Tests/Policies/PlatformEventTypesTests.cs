using Alerts.Contracts;

namespace Alerts.Tests.Policies;

/// <summary>SPEC §5: each platform event type's fields, their order and JSON types, and what a well-formed event is.</summary>
public sealed class PlatformEventTypesTests
{
    /// <summary>SPEC §5 written out: the fields beyond the common ones, in order; "id" fields are integers.</summary>
    public static TheoryData<string, string[]> Spec => new()
    {
        { "integration_created", ["integration_id", "integration_name"] },
        { "tenant_created", ["tenant_id", "tenant_name", "integration_id", "integration_name"] },
        { "tenant_archived", ["tenant_id", "tenant_name", "integration_id", "integration_name"] },
        { "partner_integration_updated", ["integration_id", "integration_name", "partner_id", "partner_name"] },
        { "run_failed", ["run_id", "run_status", "admin_link", "api_link", "api_status_link", "api_triggers_link", "tenant_id", "tenant_name", "integration_id", "integration_name"] },
    };

    [Theory]
    [MemberData(nameof(Spec))]
    public void Each_type_has_the_documented_fields_in_order_with_ids_as_integers(string type, string[] fields)
    {
        var shape = PlatformEventTypes.ByName[type];
        Assert.Equal(fields, shape.Fields.Select(f => f.Name));
        foreach (var (name, kind) in shape.Fields)
        {
            var expected = name.EndsWith("_id", StringComparison.Ordinal) ? PlatformFieldKind.Id
                : name.EndsWith("_link", StringComparison.Ordinal) ? PlatformFieldKind.Link : PlatformFieldKind.Text;
            Assert.Equal(expected, kind);
        }
        Assert.Equal(type, shape.Create(PlatformFieldValues.Blank).EventType);
        Assert.Equal(NotificationEvents.PlatformEvents.Order(), PlatformEventTypes.ByName.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Spec))]
    public void Building_a_type_from_wire_values_keeps_every_value_in_its_own_field(string type, string[] fields)
    {
        var ids = new Dictionary<string, long>();
        var texts = new Dictionary<string, string>();
        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i].EndsWith("_id", StringComparison.Ordinal)) ids[fields[i]] = 1_000 + i;
            else texts[fields[i]] = fields[i].EndsWith("_link", StringComparison.Ordinal) ? $"https://x.example/{i}" : $"text {i}";
        }
        var built = PlatformEventTypes.ByName[type].Create(new PlatformFieldValues(ids, texts));
        foreach (var field in built.Fields)
        {
            if (field.Kind == PlatformFieldKind.Id) Assert.Equal(ids[field.Name], field.Number);
            else Assert.Equal(texts[field.Name], field.Text);
        }
        Assert.Null(WebhookRules.Check(built));
    }

    [Fact]
    public void A_well_typed_event_can_still_be_malformed_and_the_problem_names_the_field()
    {
        var good = new RunFailed(1, "failed", "https://a.example/1", "https://a.example/2", "http://a.example/3", "https://a.example/4", 2, "T", 3, "I");
        Assert.Null(WebhookRules.Check(good));
        Assert.Equal("run_id", WebhookRules.Check(good with { RunId = -1 })!.Value.Field);
        Assert.Equal("run_status", WebhookRules.Check(good with { RunStatus = " " })!.Value.Field);
        Assert.Equal("api_link", WebhookRules.Check(good with { ApiLink = "ftp://a.example/" })!.Value.Field);
        Assert.Equal("admin_link", WebhookRules.Check(good with { AdminLink = "/relative" })!.Value.Field);
        Assert.Equal("tenant_name", WebhookRules.Check(good with { TenantName = new string('x', WebhookRules.MaxFieldLength + 1) })!.Value.Field);
        Assert.Equal("id", WebhookRules.Check(good with { EventId = "bad id" })!.Value.Field);
        Assert.Equal("account_id", WebhookRules.Check(good with { AccountId = -5 })!.Value.Field);
        Assert.Equal("event_type", WebhookRules.Check((PlatformEvent?)null)!.Value.Field);
    }

    [Fact]
    public void The_organization_must_have_an_account_id_and_stated_common_fields_must_agree()
    {
        var org = new OrganizationProfile("Acme", "staging", false, null, IntegrationNotificationSettings.Unset, AccountId: 42);
        var created = new IntegrationCreated(7, "CRM");
        Assert.Null(WebhookRules.CheckOrganizationFields(created, "acme", org));
        Assert.Null(WebhookRules.CheckOrganizationFields(created with { AccountId = 42, Environment = "staging", AccountName = "Acme" }, "acme", org));
        Assert.Equal("account_id", WebhookRules.CheckOrganizationFields(created with { AccountId = 43 }, "acme", org)!.Value.Field);
        Assert.Equal("environment", WebhookRules.CheckOrganizationFields(created with { Environment = "production" }, "acme", org)!.Value.Field);
        Assert.Equal("account_name", WebhookRules.CheckOrganizationFields(created with { AccountName = "Other" }, "acme", org)!.Value.Field);
        var missing = WebhookRules.CheckOrganizationFields(created, "acme", org with { AccountId = null })!.Value;
        Assert.Equal("account_id", missing.Field);
        Assert.Contains("PUT /api/v1/orgs/acme", missing.Problem);
    }

    [Fact]
    public void Ids_read_as_people_read_them_in_e_mails()
    {
        Assert.Equal("9000000000", PlatformField.Id("run_id", 9_000_000_000).Display);
        Assert.Equal("CRM", PlatformField.Of("integration_name", "CRM").Display);
        Assert.Equal(PlatformFieldKind.Link, PlatformField.Of("api_link", "https://a.example/").Kind);
    }
}
