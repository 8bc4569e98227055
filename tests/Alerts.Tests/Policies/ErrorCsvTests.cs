using System.Text;
using Alerts.Contracts;
using Alerts.Grains.Stores;
using Alerts.Grains.Lifecycle;
using Alerts.Silo.Notify.Exports;

namespace Alerts.Tests.Policies;

public sealed class ErrorCsvTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 15, 30, 123, TimeSpan.Zero);

    private static readonly Dictionary<string, IntegrationProfile> Integrations = new()
    {
        ["crm"] = new IntegrationProfile("CRM, \"main\"", IntegrationType.OutboundWebhook),
        ["hook"] = new IntegrationProfile("Shop hook", IntegrationType.InboundWebhook),
    };

    private static async Task<(string Csv, int Rows, bool Capped)> WriteAsync(IEnumerable<LoggedError> errors, Direction direction = Direction.Outgoing, int maxRows = 100)
    {
        using var stream = new MemoryStream();
        var (rows, capped) = await ErrorCsv.WriteAsync(stream, errors.ToAsyncEnumerable(), Integrations, direction, maxRows, CancellationToken.None);
        return (Encoding.UTF8.GetString(stream.ToArray()), rows, capped);
    }

    private static LoggedError Error(string id, string? message = "Bad Gateway", string integration = "crm", int? status = 502) =>
        new(integration, new ErrorDetail(id, At, status, message, "nightly", "crm-api", "trace-1"));

    [Fact]
    public async Task Writes_a_header_and_one_rfc4180_row_per_error()
    {
        var (csv, rows, capped) = await WriteAsync([Error("e1"), Error("e2", "line one\nsays \"hi\", twice", status: 404)]);
        Assert.Equal((2, false), (rows, capped));
        Assert.Equal(
            "occurred_at,integration_id,integration_name,type,direction,status_code,status_name,message,flow,service,trace_key,event_id\r\n" +
            "2026-11-22T10:15:30.123Z,crm,\"CRM, \"\"main\"\"\",outbound_webhook,outgoing,502,Bad Gateway,Bad Gateway,nightly,crm-api,trace-1,e1\r\n" +
            "2026-11-22T10:15:30.123Z,crm,\"CRM, \"\"main\"\"\",outbound_webhook,outgoing,404,Not Found,\"line one\nsays \"\"hi\"\", twice\",nightly,crm-api,trace-1,e2\r\n",
            csv);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.test\")")]
    [InlineData("+1+2")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tcmd")]
    [InlineData("\rcmd")]
    public async Task A_cell_that_a_spreadsheet_would_run_is_neutralised(string message)
    {
        var (csv, _, _) = await WriteAsync([Error("e1", message)]);
        var row = csv.Split("\r\n")[1];
        Assert.DoesNotContain("," + message, row);
        Assert.Contains("'" + message.Replace("\"", "\"\"", StringComparison.Ordinal), row);
    }

    [Fact]
    public async Task Only_the_notifications_direction_is_written()
    {
        var (csv, rows, _) = await WriteAsync([Error("out"), Error("in", integration: "hook"), Error("gone", integration: "deleted")]);
        Assert.Equal(1, rows);
        Assert.EndsWith(",out\r\n", csv);
    }

    [Fact]
    public async Task The_cap_stops_the_file_and_says_it_did()
    {
        var (csv, rows, capped) = await WriteAsync(Enumerable.Range(0, 10).Select(i => Error($"e{i}")), maxRows: 3);
        Assert.Equal((3, true), (rows, capped));
        Assert.Equal(4, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        var (_, all, notCapped) = await WriteAsync(Enumerable.Range(0, 3).Select(i => Error($"e{i}")), maxRows: 3);
        Assert.Equal((3, false), (all, notCapped));
    }

    [Theory]
    [InlineData(404, "Not Found")]
    [InlineData(302, "Found")]
    [InlineData(500, "Internal Server Error")]
    [InlineData(522, "Connection Timed Out")]
    [InlineData(804, "Problem While Processing the Action")]
    [InlineData(521, "Web Server Is Down")]
    [InlineData(299, "")]
    [InlineData(null, "")]
    public void Codes_have_names(int? code, string name) => Assert.Equal(name, ErrorCodes.Name(code));
}
