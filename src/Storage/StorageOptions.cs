namespace Alerts.Storage;

/// <summary>
/// Configuration section <c>Alerts:Storage</c>: the account every table lives in. Orleans' own providers keep grain
/// state, reminders and silo membership in <c>{TablePrefix}OrleansGrainState</c>, <c>…OrleansReminders</c> and
/// <c>…OrleansSiloInstances</c>; Alerts' domain tables are <c>…Journal</c>, <c>…Directory</c>, <c>…ErrorLog</c>,
/// <c>…Notifications</c> and <c>…Webhooks</c>. <c>…GrainState</c> and <c>…Reminders</c> are the tables of the
/// providers Alerts had before; they are only read, and emptied, to carry their data over.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Alerts:Storage";

    /// <summary>Azurite's well-known development account (127.0.0.1:10000-10002).</summary>
    public const string DevelopmentConnectionString = "UseDevelopmentStorage=true";

    public const string GrainStateTable = "OrleansGrainState";
    public const string RemindersTable = "OrleansReminders";
    public const string MembershipTable = "OrleansSiloInstances";
    public const string LegacyGrainStateTable = "GrainState";
    public const string LegacyRemindersTable = "Reminders";

    /// <summary><c>AzureTable</c> (durable; Azurite locally) or <c>Memory</c> (fast unit tests only: nothing survives a restart).</summary>
    public string Provider { get; set; } = "AzureTable";

    /// <summary>An Azure Storage connection string; the default is Azurite on 127.0.0.1:10000-10002.</summary>
    public string ConnectionString { get; set; } = DevelopmentConnectionString;

    /// <summary>Prefix of every table name, so several deployments can share an account.</summary>
    public string TablePrefix { get; set; } = "Alerts";
}
