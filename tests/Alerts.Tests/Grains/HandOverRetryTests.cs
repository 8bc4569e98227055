using Alerts.Contracts;
using Alerts.Tests.Support;

namespace Alerts.Tests.Grains;

/// <summary>
/// A threshold decision reaches its recipients while the reminder service cannot be reached (its silo just died): found
/// by FaultRunTests, where a failed cooldown reminder kept the decision from being handed over at all. (The directory
/// failing instead: <see cref="PeopleInMemoryTests"/>.)
/// </summary>
[Collection(ClusterTests.Name)]
public sealed class HandOverRetryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_decision_made_while_reminders_cannot_be_written_is_sent_and_its_cooldown_reminder_written_later()
    {
        var org = await OrgScenario.CreateAsync(fixture.Grains, outgoing: new DirectionSettings(2, FailureInterval.OneHour));
        var ops = await org.AddUserAsync("ops", NotificationEvents.OutgoingIntegrationError);
        var grain = org.Org.GetGrainId();
        SwitchableReminderTable.Unreachable[grain.ToString()] = true;
        try
        {
            // The reports are taken (the reminder is not part of acknowledging them) and the alert goes out.
            var result = await org.ErrorsAsync(OrgScenario.Outgoing, 2);
            Assert.Equal((RecordStatus.Recorded, 2), (result.Status, result.Accepted));
            await Eventually.TrueAsync(() => ClusterFixture.Emails.SentTo(ops).Count == 1, "the alert went out without its reminder");
            Assert.True(SwitchableReminderTable.FailuresFor(grain) >= 1, "the cooldown reminder's write was tried");
        }
        finally
        {
            SwitchableReminderTable.Unreachable.TryRemove(grain.ToString(), out _);
        }
        // The snapshot timer writes the cooldown reminder once the reminder service answers.
        await Eventually.TrueAsync(async () => await fixture.ReminderAsync(org.OrgId, "cooldown-outgoing") is not null, "the cooldown reminder was written");
        Assert.Single(ClusterFixture.Emails.SentTo(ops));
    }
}
