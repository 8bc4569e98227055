using System.Text.Json;

namespace Alerts.Contracts;

/// <summary>What to do about a code for one integration type; <see cref="Applies"/> false: the code does not occur there.</summary>
public sealed record CatalogGuidance(bool Applies, string? Guidance);

/// <summary>One code of the catalog: its name, its meaning, and guidance per integration type.</summary>
public sealed record CatalogEntry(int Code, string Name, string Meaning, IReadOnlyDictionary<IntegrationType, CatalogGuidance> Types);

/// <summary>
/// The error catalog (SPEC §7.6, issue 11), kept as data in <c>Data/error-catalog.json</c> (embedded): per code a name, a
/// meaning, and per direction what to do — incoming types (inbound webhooks, custom events) are calls into the platform,
/// outgoing ones (outbound webhooks, pre-built integrations, custom nodes) calls out to a provider.
/// </summary>
public static class ErrorCatalog
{
    private static readonly Lazy<SortedDictionary<int, CatalogEntry>> Entries = new(Load);

    /// <summary>Every entry, by code.</summary>
    public static IReadOnlyCollection<CatalogEntry> All => Entries.Value.Values;

    /// <summary>What to do about a code for an integration type; null when the catalog has no advice for them.</summary>
    public static string? Guidance(int? code, IntegrationType type) => Find(code)?.Types[type] is { Applies: true } applies ? applies.Guidance : null;

    public static CatalogEntry? Find(int? code) => code is { } value && Entries.Value.TryGetValue(value, out var entry) ? entry : null;

    private static SortedDictionary<int, CatalogEntry> Load()
    {
        using var stream = typeof(ErrorCatalog).Assembly.GetManifestResourceStream("Alerts.Contracts.Data.error-catalog.json")
            ?? throw new InvalidOperationException("the error catalog is not embedded");
        using var document = JsonDocument.Parse(stream);
        var entries = new SortedDictionary<int, CatalogEntry>();
        foreach (var item in document.RootElement.GetProperty("codes").EnumerateArray())
        {
            var incoming = Guidance(item, "incoming");
            var outgoing = Guidance(item, "outgoing");
            var types = Enum.GetValues<IntegrationType>().ToDictionary(type => type, type => type.Direction() == Direction.Incoming ? incoming : outgoing);
            var code = item.GetProperty("code").GetInt32();
            entries[code] = new CatalogEntry(code, item.GetProperty("name").GetString()!, item.GetProperty("meaning").GetString()!, types);
        }
        return entries;
    }

    private static CatalogGuidance Guidance(JsonElement item, string direction) =>
        item.GetProperty(direction) is { ValueKind: JsonValueKind.String } text
            ? new CatalogGuidance(true, text.GetString())
            : new CatalogGuidance(false, null);
}
