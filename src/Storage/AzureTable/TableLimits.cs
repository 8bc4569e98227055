using System.Text;

namespace Alerts.Storage.AzureTable;

/// <summary>
/// Azure Table storage's limits, which Azurite does not enforce: a binary property holds at most 64 KiB, an entity
/// at most 1 MiB and an entity-group transaction at most 100 entities and 4 MiB, all counted as sent — and binary
/// values are sent as base64 (a third larger). Writers size their rows and transactions with these, not by waiting
/// for Azure to refuse them.
/// </summary>
public static class TableLimits
{
    public const int MaxBinaryProperty = 64 * 1024;
    public const int MaxEntityBytes = 1024 * 1024;
    public const int MaxTransactionBytes = 4 * 1024 * 1024;
    public const int MaxTransactionEntities = 100;

    /// <summary>Headers of one operation inside a transaction's multipart body (request line, content type, ids).</summary>
    private const int OperationOverhead = 1024;

    public static int Base64Length(int bytes) => (bytes + 2) / 3 * 4;

    /// <summary>
    /// An upper estimate of the entity's size as sent in JSON: names, type annotations, base64 for binary, escaped text.
    /// </summary>
    public static int EstimatedSize(TableEntity entity)
    {
        var size = 64 + JsonText(entity.PartitionKey) + JsonText(entity.RowKey);
        foreach (var (name, value) in entity)
        {
            if (name is "odata.etag" or "PartitionKey" or "RowKey" or "Timestamp") continue;
            size += 2 * JsonText(name) + 40 + value switch
            {
                byte[] bytes => Base64Length(bytes.Length),
                BinaryData data => Base64Length(data.ToMemory().Length),
                string text => JsonText(text),
                _ => 40,
            };
        }
        return size;
    }

    /// <summary>
    /// Splits rows of one partition into transactions within the limits, in order. Throws when a single row is over the
    /// entity limit: that is the writer's bug, and Azure would refuse it.
    /// </summary>
    public static IEnumerable<List<T>> Transactions<T>(IEnumerable<T> rows, Func<T, TableEntity> entity)
    {
        var batch = new List<T>();
        var bytes = 0;
        foreach (var row in rows)
        {
            var size = EstimatedSize(entity(row));
            if (size > MaxEntityBytes) throw new InvalidOperationException($"row {entity(row).RowKey} would be {size} bytes; the limit is {MaxEntityBytes}");
            if (batch.Count == MaxTransactionEntities || (batch.Count > 0 && bytes + size + OperationOverhead > MaxTransactionBytes - 64 * 1024))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }
            batch.Add(row);
            bytes += size + OperationOverhead;
        }
        if (batch.Count > 0) yield return batch;
    }

    /// <summary>JSON-escaped UTF-8 length, upper bound (control characters become \uXXXX).</summary>
    private static int JsonText(string text) => Encoding.UTF8.GetByteCount(text) + text.Count(c => c < 0x20 || c is '"' or '\\') * 5 + 2;
}

/// <summary>Bytes spread over numbered binary properties (<c>{prefix}0</c>, <c>{prefix}1</c>, …) of at most 64 KiB each.</summary>
public static class BinaryColumns
{
    public static void Write(TableEntity entity, string prefix, ReadOnlySpan<byte> data)
    {
        entity[$"{prefix}Size"] = data.Length;
        for (var (column, offset) = (0, 0); offset < data.Length; column++, offset += TableLimits.MaxBinaryProperty)
            entity[$"{prefix}{column}"] = data.Slice(offset, Math.Min(TableLimits.MaxBinaryProperty, data.Length - offset)).ToArray();
    }

    public static byte[] Read(TableEntity entity, string prefix)
    {
        var size = entity.GetInt32($"{prefix}Size") ?? 0;
        var data = new byte[size];
        for (var (column, offset) = (0, 0); offset < size; column++)
        {
            var part = entity.GetBinary($"{prefix}{column}")
                       ?? throw new InvalidDataException($"row {entity.PartitionKey}/{entity.RowKey} lacks {prefix}{column}");
            part.CopyTo(data, offset);
            offset += part.Length;
        }
        return data;
    }

    /// <summary>The property names a row with up to <paramref name="columns"/> columns may use, for a query's select.</summary>
    public static IEnumerable<string> Names(string prefix, int columns) =>
        Enumerable.Range(0, columns).Select(i => $"{prefix}{i}").Prepend($"{prefix}Size");
}
