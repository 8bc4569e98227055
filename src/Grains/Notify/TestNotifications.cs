using System.Globalization;
using Alerts.Contracts;
using Alerts.Contracts.Telemetry;
using Alerts.Grains.Organization;

namespace Alerts.Grains.Notify;

/// <summary>
/// "Send a test notification" (issue 22): one entry to the user's own address, straight into the organization's outbox,
/// so it is paced, retried and logged like any alert and a user sees the whole path work. Nothing is kept here.
/// </summary>
internal sealed class TestNotifications(IOrganizationHost host, People people)
{
    /// <returns>The notification's id, or null when there is no such user.</returns>
    public async Task<string?> SendAsync(string userId)
    {
        if (host.State.Profile is not { } profile || await people.GetAsync(userId) is not { } user) return null;
        var now = host.Now;
        var test = new TestNotification(host.OrgId, profile.Name, profile.Environment, profile.Production, userId, now);
        var entry = new OutboxEntry
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"test-{userId}-{now.UtcDateTime:yyyyMMdd'T'HHmmss.fffffff'Z'}"),
            Payload = test,
            Subject = test.Subject,
            CreatedAt = now,
            TraceParent = AlertsTelemetry.CurrentTraceParent(),
        };
        await host.GrainFactory.GetGrain<IOutboxGrain>(host.OrgId).EnqueueAsync(entry, [Recipient.Email(user.Profile.Email).Key]);
        return entry.Id;
    }
}
