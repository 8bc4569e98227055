using Alerts.Api.Auth;
using System.Globalization;
using System.Text.RegularExpressions;
using Alerts.Api.Http;
using Alerts.Contracts;

namespace Alerts.Api.Resources;

/// <summary>
/// <c>POST /api/v1/orgs/{org_id}/events</c>: integration attempts reported over HTTP. The batch is checked
/// whole before anything is recorded; 202 means every accepted event is durable.
/// </summary>
public static partial class EventsApi
{
    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/orgs/{org_id}/events", PostAsync)
            .WithTags("Events")
            .WithName("PostEvents").Refusals().Takes<EventsRequest>()
            .WithSummary($"Reports up to {AttemptRules.MaxBatch} integration attempts (errors and successes).")
            .Needs(Access.Report);
        return api;
    }

    public static async Task<Results<Accepted<EventsResponse>, ProblemHttpResult>> PostAsync(
        string org_id, HttpRequest request, ReportCoalescer reports, CancellationToken cancellationToken)
    {
        if (!GrainKeys.IsValidId(org_id)) return Problems.Invalid("org_id", IdRules.Problem);
        var (body, problem) = await JsonBody.ReadAsync<EventsRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        if (body!.Events is not { Count: > 0 and <= AttemptRules.MaxBatch } events)
            return Problems.Invalid("events", $"must hold 1 to {AttemptRules.MaxBatch} events");

        var batch = new Report[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var attempt = Parse(events[i], $"events[{i}]");
            if (attempt.Problem is { } failure) return Problems.Invalid(failure);
            batch[i] = new Report(events[i]!.IntegrationId!, attempt.Value!);
        }

        // One call per organization for this and every concurrent request: it checks the organization and the
        // integrations, de-duplicates and answers when the events are durable.
        var result = await reports.ReportAsync(org_id, batch);
        return result.Status switch
        {
            RecordStatus.Recorded => TypedResults.Accepted((string?)null, new EventsResponse(result.Accepted, result.Duplicates)),
            RecordStatus.UnknownOrganization => Problems.NotFound("organization", org_id),
            RecordStatus.UnknownIntegration => Problems.Invalid($"events[{result.Index}].integration_id",
                $"integration '{batch[result.Index ?? 0].IntegrationId}' is not registered in organization '{org_id}'"),
            _ when result.Index is { } index && result.Field is { } field => Problems.Invalid($"events[{index}].{field}", Without(result.Problem, field)),
            _ => Problems.Invalid("events", result.Problem ?? "are invalid"),
        };
    }

    /// <summary>The grain's problem text starts with the field's name; the gateway names the field with its path.</summary>
    private static string Without(string? problem, string field) =>
        problem is null ? "is invalid" : problem.StartsWith(field + " ", StringComparison.Ordinal) ? problem[(field.Length + 1)..] : problem;

    private static Parsed<Attempt> Parse(EventBody? body, string at)
    {
        if (body is null) return new Failure(at, "must be an object");
        if (body.EventId is null) return new Failure($"{at}.event_id", "is required");
        if (body.IntegrationId is null) return new Failure($"{at}.integration_id", "is required");
        if (!GrainKeys.IsValidId(body.IntegrationId)) return new Failure($"{at}.integration_id", IdRules.Problem);
        AttemptOutcome outcome;
        switch (body.Outcome)
        {
            case "error": outcome = AttemptOutcome.Error; break;
            case "success": outcome = AttemptOutcome.Success; break;
            case null: return new Failure($"{at}.outcome", "is required (\"error\" or \"success\")");
            default: return new Failure($"{at}.outcome", "must be \"error\" or \"success\"");
        }
        DateTimeOffset? occurredAt = null;
        if (body.OccurredAt is not null)
        {
            if (!Rfc3339().IsMatch(body.OccurredAt)
                || !DateTimeOffset.TryParse(body.OccurredAt, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsedTime))
                return new Failure($"{at}.occurred_at", "must be an RFC 3339 timestamp with an offset, e.g. 2026-11-22T10:15:00Z");
            occurredAt = parsedTime.ToUniversalTime();
        }
        var attempt = new Attempt(body.EventId, outcome, occurredAt, body.StatusCode, body.Message, body.Flow, body.Service, body.TraceKey, body.Retrying ?? false);
        if (AttemptRules.Check(attempt) is { } invalid) return new Failure($"{at}.{invalid.Field}", invalid.Problem);
        return new(attempt, null);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})\z")]
    private static partial Regex Rfc3339();
}

public sealed record EventsRequest(IReadOnlyList<EventBody?>? Events);

public sealed record EventBody(
    string? EventId,
    string? IntegrationId,
    string? OccurredAt,
    string? Outcome,
    int? StatusCode,
    string? Message,
    string? Flow,
    string? Service,
    string? TraceKey,
    bool? Retrying = null);

public sealed record EventsResponse(int Accepted, int Duplicates);
