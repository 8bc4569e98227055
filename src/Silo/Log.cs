namespace Alerts.Silo;

internal static partial class Log
{
    [LoggerMessage(3001, LogLevel.Warning, "Cannot reach the SMTP relay {Host}:{Port}; deliveries are retried")]
    public static partial void RelayUnreachable(ILogger logger, Exception exception, string host, int port);
}
