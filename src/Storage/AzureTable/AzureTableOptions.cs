using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Alerts.Storage.AzureTable;

/// <summary>What every Azure Table adapter needs: an account and a table of its own.</summary>
public abstract partial class AzureTableOptions : IValidatableObject
{
    /// <summary>Azurite's well-known development account (127.0.0.1:10000-10002).</summary>
    public const string DevelopmentConnectionString = "UseDevelopmentStorage=true";

    [Required] public string ConnectionString { get; set; } = DevelopmentConnectionString;

    /// <summary>3–63 letters and digits, starting with a letter (Azure's rule).</summary>
    [Required] public string TableName { get; set; } = "";

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]{2,62}\z")]
    private static partial Regex TableNamePattern();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TableNamePattern().IsMatch(TableName ?? ""))
            yield return new ValidationResult($"TableName '{TableName}' must be 3-63 letters and digits, starting with a letter", [nameof(TableName)]);
        if (string.IsNullOrWhiteSpace(ConnectionString))
            yield return new ValidationResult("ConnectionString is required", [nameof(ConnectionString)]);
    }

    public TableClient CreateClient() => new TableServiceClient(ConnectionString).GetTableClient(TableName);
}

public sealed class AzureTableGrainStorageOptions : AzureTableOptions
{
    public AzureTableGrainStorageOptions() => TableName = "AlertsGrainState";

    /// <summary>Largest serialized state accepted; Azure limits an entity to 1 MiB, of which this leaves headroom for keys.</summary>
    [Range(1024, 960 * 1024)] public int MaxStateBytes { get; set; } = 960 * 1024;
}

public sealed class AzureTableReminderOptions : AzureTableOptions
{
    public AzureTableReminderOptions() => TableName = "AlertsReminders";
}

public sealed class AzureTableClusteringOptions : AzureTableOptions
{
    public AzureTableClusteringOptions() => TableName = "AlertsMembership";
}
