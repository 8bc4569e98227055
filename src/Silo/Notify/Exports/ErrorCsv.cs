using System.Globalization;
using Alerts.Contracts;
using Alerts.Grains.Stores;
using Alerts.Grains.Lifecycle;
using CsvHelper;

namespace Alerts.Silo.Notify.Exports;

/// <summary>
/// Writes error details as RFC 4180 CSV with CsvHelper. A cell a spreadsheet would run as a formula (starting
/// with = + - @, a tab or a carriage return) is written with a leading apostrophe, so it shows as text; control characters
/// and bidirectional overrides are left out of every cell (<see cref="TextSafety"/>).
/// </summary>
public static class ErrorCsv
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "occurred_at", "integration_id", "integration_name", "type", "direction", "status_code", "status_name",
        "message", "flow", "service", "trace_key", "event_id",
    ];

    /// <summary>RFC 4180 with CRLF (CsvHelper's defaults) and formula escaping, which CsvHelper leaves off unless asked.</summary>
    private static readonly CsvWriterOptions Options = new()
    {
        Injection = CsvInjection.Escape,
        InjectionCharacters = "=+-@\t\r",
        InjectionEscape = '\'',
    };

    /// <summary>Streams the rows of one direction into <paramref name="output"/>; returns how many were written and whether the cap cut it.</summary>
    public static async Task<(int Rows, bool Capped)> WriteAsync(
        Stream output,
        IAsyncEnumerable<LoggedError> errors,
        IReadOnlyDictionary<string, IntegrationProfile> integrations,
        Direction direction,
        int maxRows,
        CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        foreach (var column in Columns) csv.WriteField(column);
        await csv.EndRecordAsync(cancellationToken);

        var rows = 0;
        await foreach (var error in errors.WithCancellation(cancellationToken))
        {
            if (!integrations.TryGetValue(error.IntegrationId, out var integration) || integration.Type.Direction() != direction) continue;
            if (rows == maxRows)
            {
                await csv.FlushAsync(cancellationToken);
                return (rows, true);
            }
            var detail = error.Detail;
            csv.WriteField(detail.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            csv.WriteField(TextSafety.Clean(error.IntegrationId));
            csv.WriteField(TextSafety.Clean(integration.Name));
            csv.WriteField(integration.Type.Wire());
            csv.WriteField(direction.Wire());
            csv.WriteField(detail.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "");
            csv.WriteField(ErrorCodes.Name(detail.StatusCode));
            csv.WriteField(TextSafety.Clean(detail.Message ?? ""));
            csv.WriteField(TextSafety.Clean(detail.Flow ?? ""));
            csv.WriteField(TextSafety.Clean(detail.Service ?? ""));
            csv.WriteField(TextSafety.Clean(detail.TraceKey ?? ""));
            csv.WriteField(TextSafety.Clean(detail.EventId));
            await csv.EndRecordAsync(cancellationToken);
            rows++;
        }
        await csv.FlushAsync(cancellationToken);
        return (rows, false);
    }
}
