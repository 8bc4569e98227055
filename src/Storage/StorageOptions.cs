using Alerts.Storage.AzureTable;

namespace Alerts.Storage;

/// <summary>Configuration section <c>Alerts:Storage</c>: where grain state, reminders and membership live.</summary>
public sealed class StorageOptions
{
    public const string Section = "Alerts:Storage";

    /// <summary><c>AzureTable</c> (durable; Azurite locally) or <c>Memory</c> (fast unit tests only: nothing survives a restart).</summary>
    public string Provider { get; set; } = "AzureTable";

    /// <summary>An Azure Storage connection string; the default is Azurite on 127.0.0.1:10000-10002.</summary>
    public string ConnectionString { get; set; } = AzureTableOptions.DevelopmentConnectionString;

    /// <summary>Prefix of every table name, so several deployments can share an account.</summary>
    public string TablePrefix { get; set; } = "Alerts";
}
