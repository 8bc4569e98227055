using Microsoft.Extensions.Logging;

namespace Alerts.Grains;

/// <summary>The grains' log messages, in one place and source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Warning, "Writing grain {Grain} failed; it reloads from storage on its next call")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string grain);

    [LoggerMessage(1003, LogLevel.Information, "Organization {OrgId}: {Count} {Direction} errors reached the limit of {Limit}; notifying its subscribers")]
    public static partial void ThresholdReached(ILogger logger, string orgId, int count, string direction, int limit);

    [LoggerMessage(1004, LogLevel.Information, "Organization {OrgId}: replayed {Commits} journal commit(s) after its snapshot; {Ids} event ids remembered")]
    public static partial void JournalReplayed(ILogger logger, string orgId, int commits, int ids);

    [LoggerMessage(1005, LogLevel.Warning, "Organization {OrgId}: writing a snapshot failed; the journal still holds every report")]
    public static partial void SnapshotFailed(ILogger logger, Exception exception, string orgId);

    [LoggerMessage(1006, LogLevel.Warning, "Organization {OrgId}: appending to the journal failed; nothing in that commit was acknowledged and the grain reloads")]
    public static partial void JournalFailed(ILogger logger, Exception exception, string orgId);

    [LoggerMessage(1007, LogLevel.Warning, "Organization {OrgId}: trimming the journal failed; it is tried again after a later snapshot")]
    public static partial void TrimFailed(ILogger logger, Exception exception, string orgId);

    [LoggerMessage(1008, LogLevel.Warning, "Organization {OrgId}: projecting reports onto integrations and the error log failed; retrying in {Delay}")]
    public static partial void ProjectionFailed(ILogger logger, Exception exception, string orgId, TimeSpan delay);

    [LoggerMessage(1009, LogLevel.Warning, "Organization {OrgId}: handing a decision to the outbox failed; the snapshot timer hands it over again")]
    public static partial void HandOverFailed(ILogger logger, Exception exception, string orgId);

    [LoggerMessage(1010, LogLevel.Warning, "Organization {OrgId}: {Count} decisions are not yet taken by the outbox; new ones wait until they are")]
    public static partial void HandOversBacklogged(ILogger logger, string orgId, int count);

    [LoggerMessage(1011, LogLevel.Warning, "Organization {OrgId}: writing its cooldown reminders failed; the snapshot timer tries again")]
    public static partial void RemindersFailed(ILogger logger, Exception exception, string orgId);

    [LoggerMessage(1012, LogLevel.Warning, "Organization {OrgId}: {Reports} reports are not yet projected (is the error log reachable?); new reports are refused until they are")]
    public static partial void ProjectionBacklog(ILogger logger, string orgId, int reports);

    [LoggerMessage(1013, LogLevel.Warning, "Organization {OrgId}: building the dashboard's counts from its integrations failed; the next activation tries again (the dashboard asks the integrations meanwhile)")]
    public static partial void RollupBuildFailed(ILogger logger, Exception exception, string orgId);

    [LoggerMessage(1014, LogLevel.Information, "Organization {OrgId}: built the dashboard's counts from its {Integrations} integrations (once, for an organization from before the roll-up)")]
    public static partial void RollupBuilt(ILogger logger, string orgId, int integrations);
}
