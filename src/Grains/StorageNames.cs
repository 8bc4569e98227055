namespace Alerts.Grains;

/// <summary>Names under which the silo registers its Orleans providers.</summary>
public static class StorageNames
{
    /// <summary>The grain storage every Alerts grain persists to.</summary>
    public const string Grains = "alerts";
}
