using Alerts.Contracts;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>Error details reach the log once per event, right after the report is acknowledged, and age out.</summary>
[Collection(ClusterTests.Name)]
public sealed class ErrorLogTests(ClusterFixture fixture)
{
    private static DateTimeOffset Now => ClusterFixture.Clock.GetUtcNow();

    [Fact]
    public async Task Each_new_error_is_logged_once_with_its_details()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var at = Now.AddMinutes(-3);
        await org.RecordAsync(OrgScenario.Outgoing,
            new Attempt("e1", AttemptOutcome.Error, at, 404, "Not Found", "sync", "crm-api", "k1"),
            new Attempt("e2", AttemptOutcome.Error),
            new Attempt("ok", AttemptOutcome.Success),
            new Attempt("ok", AttemptOutcome.Error, at, 500, "a repeat of a success is a duplicate, not an error"),
            new Attempt("e1", AttemptOutcome.Error, at, 500, "changed on retry"));
        await org.RecordAsync(OrgScenario.Outgoing, new Attempt("e2", AttemptOutcome.Error, null, 503));

        var logged = await LoggedAsync(org, 2);
        Assert.Equal(["e1", "e2"], logged.Select(l => l.Detail.EventId));
        var first = logged[0];
        Assert.Equal(OrgScenario.Outgoing, first.IntegrationId);
        Assert.Equal(new ErrorDetail("e1", at, 404, "Not Found", "sync", "crm-api", "k1"), first.Detail);
        Assert.Equal(Now, logged[1].Detail.OccurredAt);
    }

    [Fact]
    public async Task While_the_log_cannot_be_written_reports_are_still_acknowledged_and_counted_and_logged_once_it_is_back()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: new DirectionSettings(2, FailureInterval.OneHour));
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        var batch = new[] { new Attempt("x1", AttemptOutcome.Error), new Attempt("x2", AttemptOutcome.Error) };

        ClusterFixture.ErrorLog.Failing = true;
        try
        {
            var result = await org.RecordAsync(OrgScenario.Outgoing, batch);
            Assert.Equal((RecordStatus.Recorded, 2, 0), (result.Status, result.Accepted, result.Duplicates));
            Assert.Equal(2, Assert.Single(await org.NotificationsAsync()).ErrorCount);
            // Nothing is sent while the errors behind the e-mail (its CSV) are not in the log.
            await Task.Delay(300);
            Assert.Empty(ClusterFixture.Emails.SentTo(org.Domain));
            var retry = await org.RecordAsync(OrgScenario.Outgoing, batch);
            Assert.Equal((0, 2), (retry.Accepted, retry.Duplicates));
        }
        finally
        {
            ClusterFixture.ErrorLog.Failing = false;
        }
        Assert.Equal(2, (await LoggedAsync(org, 2)).Count);
        await Eventually.TrueAsync(() => Task.FromResult(ClusterFixture.Emails.SentTo(org.Domain).Count == 1), "the e-mail went out once the log was back", TimeSpan.FromSeconds(45));
        Assert.Equal(2, (await org.Grains.GetIntegration(org.OrgId, OrgScenario.Outgoing).GetAsync())!.Errors);
    }

    [Fact]
    public async Task A_report_older_than_the_log_keeps_is_refused_naming_occurred_at()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        var result = await org.RecordAsync(OrgScenario.Outgoing,
            new Attempt("fine", AttemptOutcome.Error, Now.AddDays(-58)),
            new Attempt("too-old", AttemptOutcome.Error, Now.AddDays(-61)));
        Assert.Equal(RecordStatus.Invalid, result.Status);
        Assert.StartsWith("attempts[1].occurred_at must not be before", result.Problem);
        Assert.Equal(0, (await org.Grains.GetIntegration(org.OrgId, OrgScenario.Outgoing).GetAsync())!.Errors);
    }

    [Fact]
    public async Task Days_older_than_the_retention_are_deleted_by_the_daily_reminder()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        Assert.NotNull(await fixture.ReminderAsync(org.OrgId, "error-log-retention"));
        await org.ErrorsAsync(OrgScenario.Outgoing, 2, Now.AddDays(-59));
        await org.ErrorsAsync(OrgScenario.Outgoing, 3, Now.AddDays(-58));
        await LoggedAsync(org, 5, Now.AddDays(-90));

        // A day on, the older day has left the 60 days kept.
        ClusterFixture.Clock.Advance(TimeSpan.FromDays(1));
        await fixture.TickReminderAsync(org.OrgId, "error-log-retention");

        var left = await ClusterFixture.ErrorLog.ReadAsync(org.OrgId, Now.AddDays(-90), Now).Take(100).ToListAsync();
        Assert.Equal(3, left.Count);
        Assert.All(left, l => Assert.True(l.Detail.OccurredAt > Now.AddDays(-60)));
    }

    /// <summary>The log is written right after the acknowledgement, not before it: wait for what is expected.</summary>
    private static async Task<List<Alerts.Grains.Stores.LoggedError>> LoggedAsync(OrgScenario org, int expected, DateTimeOffset? since = null)
    {
        List<Alerts.Grains.Stores.LoggedError> logged = [];
        await Eventually.TrueAsync(async () =>
        {
            logged = await ClusterFixture.ErrorLog.ReadAsync(org.OrgId, since ?? Now.AddHours(-1), Now.AddSeconds(1)).Take(100).ToListAsync();
            return logged.Count >= expected;
        }, $"{expected} errors were logged for {org.OrgId}");
        return logged;
    }
}
