using Microsoft.Extensions.Logging;

namespace Alerts.Grains;

/// <summary>The grains' log messages, in one place and source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Warning, "Writing grain {Grain} failed; it reloads from storage on its next call")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string grain);

    [LoggerMessage(1002, LogLevel.Warning, "Counting errors of {Integration} at its organization failed; a reminder retries")]
    public static partial void ForwardFailed(ILogger logger, Exception exception, string integration);

    [LoggerMessage(1003, LogLevel.Information, "Organization {OrgId}: {Count} {Direction} errors reached the limit of {Limit}; notifying {Recipients} recipient(s)")]
    public static partial void ThresholdReached(ILogger logger, string orgId, int count, string direction, int limit, int recipients);
}
