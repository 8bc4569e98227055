using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;

namespace Alerts.IntegrationTests;

/// <summary>
/// SPEC §7 through HTTP on the real stack: a seeded two months of traffic over all five types (back-filled with
/// occurred_at), and the dashboard's numbers equal what was reported, day by day.
/// </summary>
[Collection(StackTests.Name)]
public sealed class DashboardEndToEndTests(StackFixture stack)
{
    private static readonly string[] Types = ["inbound_webhook", "outbound_webhook", "prebuilt", "custom_node", "custom_event"];
    private static readonly int[] Codes = [500, 429, 404, 521];

    private static int FailuresOn(int type, int daysAgo) => (daysAgo * 7 + type * 3) % 5;

    private static int SuccessesOn(int type, int daysAgo) => (daysAgo + type) % 4;

    private static int CodeOf(int type, int daysAgo, int n) => Codes[(type + daysAgo + n) % Codes.Length];

    [Fact]
    public async Task The_dashboard_counts_equal_a_seeded_month_of_reports()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        var now = DateTimeOffset.UtcNow;
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var events = new List<object>();
        for (var t = 0; t < Types.Length; t++)
        {
            await org.AddIntegrationAsync($"int-{t}", Types[t], $"Integration {t}");
            for (var d = 0; d < 45; d++)
            {
                // Within day d's UTC day, before now.
                var at = today.AddDays(-d) + (now - today) / 2;
                for (var n = 0; n < FailuresOn(t, d); n++)
                    events.Add(new { event_id = $"f-{t}-{d}-{n}", integration_id = $"int-{t}", outcome = "error", occurred_at = at.ToString("O", CultureInfo.InvariantCulture),
                        status_code = CodeOf(t, d, n), message = $"failure {CodeOf(t, d, n)}", flow = "sync" });
                for (var n = 0; n < SuccessesOn(t, d); n++)
                    events.Add(new { event_id = $"s-{t}-{d}-{n}", integration_id = $"int-{t}", outcome = "success", occurred_at = at.ToString("O", CultureInfo.InvariantCulture) });
            }
        }
        foreach (var batch in events.Chunk(500))
        {
            using var posted = await stack.Api.PostAsJsonAsync($"{org.Path}/events", new { events = batch });
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        long Sum(int type, int from, int to, Func<int, int, int> count) => Enumerable.Range(from, to - from + 1).Sum(d => count(type, d));

        foreach (var (period, days) in new[] { ("1d", 1), ("7d", 7), ("30d", 30) })
        {
            var overview = (await stack.Api.GetFromJsonAsync<JsonNode>($"{org.Path}/dashboard/overview?period={period}"))!;
            Assert.Equal(period, (string)overview["period"]!);
            Assert.Equal(Types, overview["types"]!.AsArray().Select(x => (string)x!["type"]!));
            for (var t = 0; t < Types.Length; t++)
                Assert.Equal(Sum(t, 0, days - 1, FailuresOn), (long)overview["types"]![t]!["failures"]!);
        }

        var change = (await stack.Api.GetFromJsonAsync<JsonNode>($"{org.Path}/dashboard/change?period=7d"))!["types"]!.AsArray();
        for (var t = 0; t < Types.Length; t++)
        {
            var row = change.Single(x => (string)x!["type"]! == Types[t])!;
            long failed = Sum(t, 0, 6, FailuresOn), before = Sum(t, 7, 13, FailuresOn);
            Assert.Equal(failed, (long)row["failed"]!);
            Assert.Equal(Sum(t, 0, 6, SuccessesOn), (long)row["succeeded"]!);
            Assert.Equal(before, (long)row["previous_failed"]!);
            Assert.Equal(Math.Round((failed - before) * 100.0 / before, 1, MidpointRounding.AwayFromZero), (double)row["failed_change_pct"]!);
        }

        var codes = (await stack.Api.GetFromJsonAsync<JsonNode>($"{org.Path}/dashboard/errors-by-code?period=30d"))!["codes"]!.AsArray();
        foreach (var code in Codes)
        {
            var expected = Enumerable.Range(0, Types.Length).Sum(t => Enumerable.Range(0, 30).Sum(d => Enumerable.Range(0, FailuresOn(t, d)).Count(n => CodeOf(t, d, n) == code)));
            Assert.Equal(expected, (long)codes.Single(c => (int?)c!["code"] == code)!["failures"]!);
        }
        Assert.Equal("Web Server Is Down", (string)codes.Single(c => (int?)c!["code"] == 521)!["name"]!);

        var trends = (await stack.Api.GetFromJsonAsync<JsonNode>($"{org.Path}/dashboard/trends?type=prebuilt"))!;
        Assert.Equal(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), (string)trends["days"]![29]!);
        var series = Assert.Single(trends["series"]!.AsArray())!;
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)FailuresOn(2, 29 - i)), series["failures"]!.AsArray().Select(x => (long)x!));

        var failures = (await stack.Api.GetFromJsonAsync<JsonNode>($"{org.Path}/dashboard/failures?sort=total&limit=5"))!;
        var items = failures["items"]!.AsArray();
        Assert.Equal(5, items.Count);
        Assert.True((long)items[0]!["total"]! >= (long)items[4]!["total"]!);
        var detail = (await stack.Api.GetFromJsonAsync<JsonNode>($"{org.Path}/dashboard/failures/{Uri.EscapeDataString((string)items[0]!["id"]!)}"))!;
        Assert.Equal((string)items[0]!["id"]!, (string)detail["failure"]!["id"]!);
        Assert.NotNull(detail["code_name"]);

        var (status, problem) = await ApiScenario.SendAsync(stack.Api, HttpMethod.Get, $"{org.Path}/dashboard/overview?period=2d");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]!["period"]);
    }
}
