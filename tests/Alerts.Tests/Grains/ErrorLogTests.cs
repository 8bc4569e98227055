using Alerts.Contracts;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>Error details reach the log once per event, before the report is acknowledged, and age out.</summary>
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

        var logged = await ClusterFixture.ErrorLog.ReadAsync(org.OrgId, Now.AddHours(-1), Now.AddSeconds(1)).Take(100).ToListAsync();
        Assert.Equal(["e1", "e2"], logged.Select(l => l.Detail.EventId));
        var first = logged[0];
        Assert.Equal(OrgScenario.Outgoing, first.IntegrationId);
        Assert.Equal(new ErrorDetail("e1", at, 404, "Not Found", "sync", "crm-api", "k1"), first.Detail);
        Assert.Equal(Now, logged[1].Detail.OccurredAt);
    }

    [Fact]
    public async Task When_the_log_cannot_be_written_nothing_is_recorded_and_a_retry_counts()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: new DirectionSettings(2, FailureInterval.OneHour));
        await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        var batch = new[] { new Attempt("x1", AttemptOutcome.Error), new Attempt("x2", AttemptOutcome.Error) };

        ClusterFixture.ErrorLog.Failing = true;
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => org.RecordAsync(OrgScenario.Outgoing, batch));
        }
        finally
        {
            ClusterFixture.ErrorLog.Failing = false;
        }
        Assert.Equal(0, (await org.Grains.GetIntegration(org.OrgId, OrgScenario.Outgoing).GetAsync())!.Errors);
        Assert.Empty(await org.NotificationsAsync());

        var retry = await org.RecordAsync(OrgScenario.Outgoing, batch);
        Assert.Equal((2, 0), (retry.Accepted, retry.Duplicates));
        Assert.Equal(2, Assert.Single(await org.NotificationsAsync()).ErrorCount);
        Assert.Equal(2, (await ClusterFixture.ErrorLog.ReadAsync(org.OrgId, Now.AddHours(-1), Now.AddSeconds(1)).Take(100).ToListAsync()).Count);
    }

    [Fact]
    public async Task Days_older_than_the_retention_are_deleted_by_the_daily_reminder()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains);
        Assert.NotNull(await fixture.ReminderAsync(org.OrgId, "error-log-retention"));
        await org.ErrorsAsync(OrgScenario.Outgoing, 2, Now.AddDays(-61));
        await org.ErrorsAsync(OrgScenario.Outgoing, 3, Now.AddDays(-59));

        await fixture.TickReminderAsync(org.OrgId, "error-log-retention");

        var left = await ClusterFixture.ErrorLog.ReadAsync(org.OrgId, Now.AddDays(-90), Now).Take(100).ToListAsync();
        Assert.Equal(3, left.Count);
        Assert.All(left, l => Assert.True(l.Detail.OccurredAt > Now.AddDays(-60)));
    }
}
