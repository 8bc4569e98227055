using System.Globalization;
using System.Text;

namespace Alerts.Storage.AzureTable;

/// <summary>
/// Makes any string a valid PartitionKey/RowKey: Azure forbids '/', '\', '#', '?' and control characters
/// in keys, so those (and '%', the escape itself) are written as %XX. The mapping is one-to-one and
/// keeps the order of plain strings.
/// </summary>
public static class TableKeys
{
    public static string Escape(string value)
    {
        if (!value.Any(NeedsEscape)) return value;
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (NeedsEscape(c)) builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else builder.Append(c);
        }
        return builder.ToString();
    }

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c);

    /// <summary>An OData filter literal: single quotes doubled.</summary>
    public static string Literal(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
}
