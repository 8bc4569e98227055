using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Alerts.Contracts;

/// <summary>
/// What makes a profile valid. The gateway reports the first broken rule as a 400 naming the field; the grains
/// refuse the same input from Orleans clients. Field names are the JSON paths of the HTTP API.
/// </summary>
public static partial class ProfileRules
{
    public const int MaxNameLength = 200;

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]{0,39}\z")]
    private static partial Regex EnvironmentPattern();

    public static (string Field, string Problem)? Check(OrganizationProfile profile)
    {
        if (IsBlank(profile.Name)) return ("name", "is required");
        if (profile.Name.Length > MaxNameLength) return ("name", $"must be at most {MaxNameLength} characters");
        if (IsBlank(profile.Environment)) return ("environment", "is required");
        if (!EnvironmentPattern().IsMatch(profile.Environment))
            return ("environment", "must be 1-40 lower-case letters, digits, '-' or '_' (e.g. production, staging)");
        if (profile.PrimaryContact is not null && !IsEmail(profile.PrimaryContact))
            return ("primary_contact", "must be an e-mail address");
        if (profile.AccountId is < 0) return ("account_id", "must be 0 or more");
        foreach (var direction in Directions.All)
        {
            var settings = profile.IntegrationNotifications.For(direction);
            if (settings.FailureLimit is < 0)
                return ($"settings.integration_notifications.{direction.SettingsName()}.failure_limit", "must be 0 or more");
            // Orleans clients send enums as numbers: (FailureInterval)42 must not be storable.
            if (settings.FailureInterval is { } interval && !Enum.IsDefined(interval))
                return ($"settings.integration_notifications.{direction.SettingsName()}.failure_interval", $"must be one of {string.Join(", ", FailureIntervals.WireNames)}");
        }
        return null;
    }

    public static (string Field, string Problem)? Check(UserProfile user)
    {
        if (IsBlank(user.Email)) return ("email", "is required");
        if (!IsEmail(user.Email)) return ("email", "must be an e-mail address");
        if (IsBlank(user.Name)) return ("name", "is required");
        if (user.Name.Length > MaxNameLength) return ("name", $"must be at most {MaxNameLength} characters");
        if (!Enum.IsDefined(user.Role)) return ("role", "must be \"admin\" or \"monitor\"");
        for (var i = 0; i < user.NotificationEvents.Count; i++)
        {
            if (!NotificationEvents.Known.Contains(user.NotificationEvents[i]))
                return ($"notification_events[{i}]", $"'{user.NotificationEvents[i]}' is not an event; known: {string.Join(", ", NotificationEvents.Known.Order(StringComparer.Ordinal))}");
        }
        return user.Subscriptions is { } subscriptions ? Check(subscriptions) : null;
    }

    public static (string Field, string Problem)? Check(Subscriptions subscriptions)
    {
        if (subscriptions.Flows.Count > Subscriptions.MaxEach) return ("subscriptions.flows", $"must hold at most {Subscriptions.MaxEach} flows");
        if (subscriptions.Integrations.Count > Subscriptions.MaxEach) return ("subscriptions.integrations", $"must hold at most {Subscriptions.MaxEach} integrations");
        if (subscriptions.Connections.Count > Subscriptions.MaxEach) return ("subscriptions.connections", $"must hold at most {Subscriptions.MaxEach} connections");
        for (var i = 0; i < subscriptions.Flows.Count; i++)
        {
            var flow = subscriptions.Flows[i];
            if (flow is null) return ($"subscriptions.flows[{i}]", "must be an object");
            if (!GrainKeys.IsValidId(flow.IntegrationId)) return ($"subscriptions.flows[{i}].integration_id", IdProblem);
            if (IsBlank(flow.Flow)) return ($"subscriptions.flows[{i}].flow", "is required");
            if (flow.Flow.Length > AttemptRules.MaxNameLength) return ($"subscriptions.flows[{i}].flow", $"must be at most {AttemptRules.MaxNameLength} characters");
        }
        for (var i = 0; i < subscriptions.Integrations.Count; i++)
        {
            if (!GrainKeys.IsValidId(subscriptions.Integrations[i])) return ($"subscriptions.integrations[{i}]", IdProblem);
        }
        for (var i = 0; i < subscriptions.Connections.Count; i++)
        {
            if (!GrainKeys.IsValidId(subscriptions.Connections[i])) return ($"subscriptions.connections[{i}]", IdProblem);
        }
        return null;
    }

    public static (string Field, string Problem)? Check(ConnectionProfile connection)
    {
        if (IsBlank(connection.Name)) return ("name", "is required");
        if (connection.Name.Length > MaxNameLength) return ("name", $"must be at most {MaxNameLength} characters");
        if (connection.IntegrationIds.Count > ConnectionProfile.MaxIntegrations)
            return ("integration_ids", $"must hold at most {ConnectionProfile.MaxIntegrations} integrations");
        for (var i = 0; i < connection.IntegrationIds.Count; i++)
        {
            if (!GrainKeys.IsValidId(connection.IntegrationIds[i])) return ($"integration_ids[{i}]", IdProblem);
        }
        return null;
    }

    private const string IdProblem = "must be 1-128 letters, digits or . _ : @ - (starting with a letter or digit)";

    public static (string Field, string Problem)? Check(IntegrationProfile integration)
    {
        if (IsBlank(integration.Name)) return ("name", "is required");
        if (integration.Name.Length > MaxNameLength) return ("name", $"must be at most {MaxNameLength} characters");
        if (!Enum.IsDefined(integration.Type)) return ("type", $"must be one of {string.Join(", ", IntegrationTypes.WireNames)}");
        return null;
    }

    /// <summary>A bare address (no display name), as SMTP needs it.</summary>
    public static bool IsEmail(string? value) =>
        !IsBlank(value)
        && value!.Length <= 254
        && !value.Any(char.IsWhiteSpace)
        && MailAddress.TryCreate(value, out var parsed)
        && string.Equals(parsed.Address, value, StringComparison.Ordinal)
        && parsed.Host.Length > 0;

    private static bool IsBlank(string? value) => string.IsNullOrWhiteSpace(value);

    /// <summary>Throws <see cref="ArgumentException"/> naming the field when <paramref name="problem"/> is set.</summary>
    public static void ThrowIfInvalid((string Field, string Problem)? problem)
    {
        if (problem is { } p) throw Invalid(p.Field, p.Problem);
    }

    /// <summary>The exception that refuses a field: its message starts with the field, its parameter name is the field.</summary>
    public static ArgumentException Invalid(string field, string problem) => new($"{field} {problem}", field);
}
