using System.Globalization;

namespace Alerts.Contracts;

/// <summary>
/// A platform event (SPEC §5) as the platform publishes it: one record per event type with its documented fields and
/// their JSON types (every <c>*_id</c> a 64-bit integer, names and statuses strings, links absolute URLs), so a .NET
/// publisher cannot send the wrong type. Optionally its own id (publishing the same id again delivers nothing twice)
/// and time. <c>environment</c>, <c>account_id</c> and <c>account_name</c> come from the organization; a publisher may
/// state them, and they must then agree with it.
/// </summary>
[GenerateSerializer, Immutable, Alias("alerts.platform-event.v2")]
public abstract record PlatformEvent
{
    // Only the event types below derive from it: they are the documented contract.
    private protected PlatformEvent()
    {
    }

    [Id(0)] public string? EventId { get; init; }
    [Id(1)] public DateTimeOffset? Timestamp { get; init; }
    [Id(2)] public long? AccountId { get; init; }
    [Id(3)] public string? Environment { get; init; }
    [Id(4)] public string? AccountName { get; init; }

    /// <summary>The wire name: <c>run_failed</c>, ….</summary>
    public abstract string EventType { get; }

    /// <summary>The type's own fields (beyond the common ones), in the order they are delivered.</summary>
    public abstract IReadOnlyList<PlatformField> Fields { get; }
}

/// <summary>How a field is typed on the wire.</summary>
public enum PlatformFieldKind
{
    /// <summary>A JSON integer, 0 or more (64-bit).</summary>
    Id = 0,
    /// <summary>A JSON string.</summary>
    Text = 1,
    /// <summary>A JSON string holding an absolute http or https URL.</summary>
    Link = 2,
}

/// <summary>One field of an event as published: an integer id or a text, never both.</summary>
public sealed record PlatformField(string Name, PlatformFieldKind Kind, long Number, string? Text)
{
    public static PlatformField Id(string name, long value) => new(name, PlatformFieldKind.Id, value, null);

    public static PlatformField Of(string name, string value) =>
        new(name, name.EndsWith("_link", StringComparison.Ordinal) ? PlatformFieldKind.Link : PlatformFieldKind.Text, 0, value);

    /// <summary>As a person reads it (e-mails): the number in invariant digits, or the text.</summary>
    public string Display => Kind == PlatformFieldKind.Id ? Number.ToString(CultureInfo.InvariantCulture) : Text ?? "";
}

[GenerateSerializer, Immutable, Alias("alerts.platform-event.integration-created")]
public sealed record IntegrationCreated(
    [property: Id(0)] long IntegrationId,
    [property: Id(1)] string IntegrationName) : PlatformEvent
{
    public const string Type = "integration_created";
    public override string EventType => Type;
    public override IReadOnlyList<PlatformField> Fields =>
        [PlatformField.Id("integration_id", IntegrationId), PlatformField.Of("integration_name", IntegrationName)];
}

[GenerateSerializer, Immutable, Alias("alerts.platform-event.tenant-created")]
public sealed record TenantCreated(
    [property: Id(0)] long TenantId,
    [property: Id(1)] string TenantName,
    [property: Id(2)] long IntegrationId,
    [property: Id(3)] string IntegrationName) : PlatformEvent
{
    public const string Type = "tenant_created";
    public override string EventType => Type;
    public override IReadOnlyList<PlatformField> Fields => PlatformEventTypes.TenantFields(TenantId, TenantName, IntegrationId, IntegrationName);
}

[GenerateSerializer, Immutable, Alias("alerts.platform-event.tenant-archived")]
public sealed record TenantArchived(
    [property: Id(0)] long TenantId,
    [property: Id(1)] string TenantName,
    [property: Id(2)] long IntegrationId,
    [property: Id(3)] string IntegrationName) : PlatformEvent
{
    public const string Type = "tenant_archived";
    public override string EventType => Type;
    public override IReadOnlyList<PlatformField> Fields => PlatformEventTypes.TenantFields(TenantId, TenantName, IntegrationId, IntegrationName);
}

[GenerateSerializer, Immutable, Alias("alerts.platform-event.partner-integration-updated")]
public sealed record PartnerIntegrationUpdated(
    [property: Id(0)] long IntegrationId,
    [property: Id(1)] string IntegrationName,
    [property: Id(2)] long PartnerId,
    [property: Id(3)] string PartnerName) : PlatformEvent
{
    public const string Type = "partner_integration_updated";
    public override string EventType => Type;
    public override IReadOnlyList<PlatformField> Fields =>
    [
        PlatformField.Id("integration_id", IntegrationId), PlatformField.Of("integration_name", IntegrationName),
        PlatformField.Id("partner_id", PartnerId), PlatformField.Of("partner_name", PartnerName),
    ];
}

[GenerateSerializer, Immutable, Alias("alerts.platform-event.run-failed")]
public sealed record RunFailed(
    [property: Id(0)] long RunId,
    [property: Id(1)] string RunStatus,
    [property: Id(2)] string AdminLink,
    [property: Id(3)] string ApiLink,
    [property: Id(4)] string ApiStatusLink,
    [property: Id(5)] string ApiTriggersLink,
    [property: Id(6)] long TenantId,
    [property: Id(7)] string TenantName,
    [property: Id(8)] long IntegrationId,
    [property: Id(9)] string IntegrationName) : PlatformEvent
{
    public const string Type = "run_failed";
    public override string EventType => Type;
    public override IReadOnlyList<PlatformField> Fields =>
    [
        PlatformField.Id("run_id", RunId), PlatformField.Of("run_status", RunStatus),
        PlatformField.Of("admin_link", AdminLink), PlatformField.Of("api_link", ApiLink),
        PlatformField.Of("api_status_link", ApiStatusLink), PlatformField.Of("api_triggers_link", ApiTriggersLink),
        .. PlatformEventTypes.TenantFields(TenantId, TenantName, IntegrationId, IntegrationName),
    ];
}

/// <summary>
/// The event types by wire name: each one's fields with their kinds (read from the record itself, so the record is the
/// one statement of its fields) and how to build it from values read off the wire (the gateway's JSON).
/// </summary>
public static class PlatformEventTypes
{
    public sealed record Shape(string Name, Type Record, IReadOnlyList<(string Name, PlatformFieldKind Kind)> Fields, Func<PlatformFieldValues, PlatformEvent> Create);

    public static readonly IReadOnlyDictionary<string, Shape> ByName = new[]
    {
        Of(IntegrationCreated.Type, v => new IntegrationCreated(v.Id("integration_id"), v.Text("integration_name"))),
        Of(TenantCreated.Type, v => new TenantCreated(v.Id("tenant_id"), v.Text("tenant_name"), v.Id("integration_id"), v.Text("integration_name"))),
        Of(TenantArchived.Type, v => new TenantArchived(v.Id("tenant_id"), v.Text("tenant_name"), v.Id("integration_id"), v.Text("integration_name"))),
        Of(PartnerIntegrationUpdated.Type, v => new PartnerIntegrationUpdated(v.Id("integration_id"), v.Text("integration_name"), v.Id("partner_id"), v.Text("partner_name"))),
        Of(RunFailed.Type, v => new RunFailed(v.Id("run_id"), v.Text("run_status"), v.Text("admin_link"), v.Text("api_link"),
            v.Text("api_status_link"), v.Text("api_triggers_link"), v.Id("tenant_id"), v.Text("tenant_name"), v.Id("integration_id"), v.Text("integration_name"))),
    }.ToDictionary(shape => shape.Name, StringComparer.Ordinal);

    private static Shape Of(string name, Func<PlatformFieldValues, PlatformEvent> create)
    {
        var blank = create(PlatformFieldValues.Blank);
        return new(name, blank.GetType(), blank.Fields.Select(f => (f.Name, f.Kind)).ToList(), create);
    }

    internal static IReadOnlyList<PlatformField> TenantFields(long tenantId, string tenantName, long integrationId, string integrationName) =>
    [
        PlatformField.Id("tenant_id", tenantId), PlatformField.Of("tenant_name", tenantName),
        PlatformField.Id("integration_id", integrationId), PlatformField.Of("integration_name", integrationName),
    ];
}

/// <summary>Field values read off the wire, by name: integers for ids, strings for the rest.</summary>
public sealed class PlatformFieldValues(IReadOnlyDictionary<string, long> ids, IReadOnlyDictionary<string, string> texts)
{
    /// <summary>Every field zero or empty: how <see cref="PlatformEventTypes"/> learns a type's fields.</summary>
    public static readonly PlatformFieldValues Blank = new(new Dictionary<string, long>(), new Dictionary<string, string>());

    public long Id(string name) => ids.GetValueOrDefault(name);

    public string Text(string name) => texts.GetValueOrDefault(name) ?? "";
}
