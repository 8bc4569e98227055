using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Alerts.Api.Http;
using Alerts.Contracts;

namespace Alerts.Api.Resources;

/// <summary>
/// A published platform event's JSON read into its typed record (SPEC §5): <c>event_type</c> picks the record, every
/// field is checked against its documented JSON type — an id is an integer 0 or more (a string of digits is taken too,
/// for publishers written against the earlier string ids, and delivered as a number), names and statuses are strings —
/// and the first problem names its field.
/// </summary>
public static partial class PlatformEventBody
{
    /// <summary>What the body describes: the event, or the problem with the first wrong field.</summary>
    public static Parsed<PlatformEvent> Read(IReadOnlyDictionary<string, JsonElement> body)
    {
        if (!body.TryGetValue("event_type", out var typeElement)) return new Failure("event_type", "is required");
        if (typeElement.ValueKind != JsonValueKind.String) return new Failure("event_type", "must be a string");
        if (!PlatformEventTypes.ByName.TryGetValue(typeElement.GetString()!, out var shape))
            return new Failure("event_type", $"must be one of {string.Join(", ", NotificationEvents.PlatformEvents)}");

        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in body)
        {
            if (name == "event_type") continue;
            var kind = name switch
            {
                "account_id" => PlatformFieldKind.Id,
                "id" or "timestamp" or "environment" or "account_name" => PlatformFieldKind.Text,
                _ => shape.Fields.FirstOrDefault(f => f.Name == name) is { Name: not null } field ? field.Kind : (PlatformFieldKind?)null,
            };
            if (kind is null) return new Failure(name, $"is not a field of {shape.Name}");
            if (kind == PlatformFieldKind.Id)
            {
                if (Id(value) is not { } id) return new Failure(name, "must be an integer (0 or more, at most 9223372036854775807)");
                ids[name] = id;
            }
            else
            {
                if (value.ValueKind != JsonValueKind.String) return new Failure(name, "must be a string");
                texts[name] = value.GetString()!;
            }
        }
        foreach (var (name, kind) in shape.Fields)
        {
            if (!(kind == PlatformFieldKind.Id ? ids.ContainsKey(name) : texts.ContainsKey(name)))
                return new Failure(name, $"is required for {shape.Name}");
        }

        DateTimeOffset? timestamp = null;
        if (texts.TryGetValue("timestamp", out var at))
        {
            if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) || !at.Contains('T', StringComparison.Ordinal))
                return new Failure("timestamp", "must be an RFC 3339 time");
            timestamp = parsed;
        }
        var platformEvent = shape.Create(new PlatformFieldValues(ids, texts)) with
        {
            EventId = texts.GetValueOrDefault("id"),
            Timestamp = timestamp,
            AccountId = ids.TryGetValue("account_id", out var account) ? account : null,
            Environment = texts.GetValueOrDefault("environment"),
            AccountName = texts.GetValueOrDefault("account_name"),
        };
        if (WebhookRules.Check(platformEvent) is { } problem) return Failure.Of(problem);
        return new Parsed<PlatformEvent>(platformEvent, null);
    }

    /// <summary>A JSON integer, or a string of decimal digits, that fits in 0..long.MaxValue; null otherwise.</summary>
    private static long? Id(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var number) && number >= 0 => number,
        JsonValueKind.String when Digits().IsMatch(value.GetString()!) && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

    [GeneratedRegex(@"^[0-9]{1,19}\z")]
    private static partial Regex Digits();
}
