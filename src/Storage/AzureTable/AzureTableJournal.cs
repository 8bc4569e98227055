using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Alerts.Grains.Intake;
using Alerts.Grains.Stores;
using Alerts.Storage.AzureTable;
using Azure;
using Azure.Data.Tables;

namespace Alerts.Storage.AzureTable;

/// <summary>
/// The journal in an Azure table: one partition per stream, one row per commit (more when it is large), RowKey
/// <c>{sequence:D19}-{part:D3}</c>. Rows are added, never replaced: a second writer of a stream (a duplicate
/// activation) finds its sequence taken and gets <see cref="JournalConflictException"/>. A commit's rows go in one
/// entity-group transaction when they fit (about 2.5 MiB of payload); a larger commit spans several, and a
/// reader skips it unless every part is there, so a commit cut short by a crash is never half-read.
/// </summary>
public sealed class AzureTableJournal(TableClient table) : IJournal
{
    /// <summary>Payload per row: 9 binary columns (768 KiB as base64), leaving room for the keys and the rest.</summary>
    public const int PartBytes = 9 * TableLimits.MaxBinaryProperty;

    private const int KeyColumns = 3;
    private static readonly Meter Meter = new(StorageMetrics.MeterName);
    private static readonly Counter<long> Writes = Meter.CreateCounter<long>("alerts.storage.journal_writes", description: "Entity-group transactions that appended journal commits");
    private static readonly Counter<long> Committed = Meter.CreateCounter<long>("alerts.storage.journal_commits", description: "Journal commits appended");

    public Task InitializeAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    public async Task AppendAsync(string stream, IReadOnlyList<JournalCommit> commits, CancellationToken cancellationToken = default)
    {
        var partition = TableKeys.Escape(stream);
        var rows = commits.SelectMany(commit => Rows(partition, commit)).ToList();
        foreach (var transaction in TableLimits.Transactions(rows, row => row))
        {
            try
            {
                // A single row needs no transaction; an insert costs the table service (and Azurite) much less.
                if (transaction.Count == 1) await table.AddEntityAsync(transaction[0], cancellationToken);
                else await table.SubmitTransactionAsync(transaction.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)), cancellationToken);
            }
            catch (TableTransactionFailedException exception) when (exception.Status == 409)
            {
                throw new JournalConflictException($"journal {stream}: a commit at or after {transaction[0].RowKey} was written by another writer", exception);
            }
            catch (RequestFailedException exception) when (exception.Status == 409)
            {
                throw new JournalConflictException($"journal {stream}: a commit at or after {transaction[0].RowKey} was written by another writer", exception);
            }
            Writes.Add(1);
        }
        Committed.Add(commits.Count);
    }

    public async Task<JournalTail> ReadAfterAsync(string stream, long afterSequence, CancellationToken cancellationToken = default)
    {
        var filter = $"PartitionKey eq {TableKeys.Literal(TableKeys.Escape(stream))} and RowKey gt {TableKeys.Literal(RowKey(afterSequence, 999))}";
        var commits = new List<JournalCommit>();
        var last = afterSequence;
        var parts = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var sequence = row.GetInt64("Seq") ?? 0;
            last = Math.Max(last, sequence);
            if (parts.Count > 0 && parts[0].GetInt64("Seq") != sequence) Complete(parts, commits);
            parts.Add(row);
        }
        if (parts.Count > 0) Complete(parts, commits);
        return new JournalTail(commits, last);
    }

    public async IAsyncEnumerable<JournalKeys> ReadKeysAsync(
        string stream, long throughSequence, DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filter = $"PartitionKey eq {TableKeys.Literal(TableKeys.Escape(stream))} and RowKey le {TableKeys.Literal(RowKey(throughSequence, 999))}"
                     + $" and Part eq 0 and WrittenAt ge datetime'{since.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}'";
        var select = BinaryColumns.Names("K", KeyColumns).Concat(["WrittenAt", "Seq", "Parts"]).ToList();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken))
        {
            // A commit cut short by a crash counted nothing: its ids must not be remembered (a retry of it is new).
            if (row.GetInt32("Parts") is { } parts && parts > 1 && !await IsCompleteAsync(TableKeys.Escape(stream), row.GetInt64("Seq")!.Value, parts, cancellationToken))
                continue;
            yield return new JournalKeys(row.GetDateTimeOffset("WrittenAt")!.Value, BinaryColumns.Read(row, "K"));
        }
    }

    public async Task TrimAsync(string stream, long throughSequence, DateTimeOffset writtenBefore, CancellationToken cancellationToken = default)
    {
        var filter = $"PartitionKey eq {TableKeys.Literal(TableKeys.Escape(stream))} and RowKey le {TableKeys.Literal(RowKey(throughSequence, 999))}"
                     + $" and WrittenAt lt datetime'{writtenBefore.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}'";
        var keys = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            keys.Add(row);
        foreach (var rows in keys.Chunk(TableLimits.MaxTransactionEntities))
            await table.SubmitTransactionAsync(rows.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)), cancellationToken);
    }

    private async Task<bool> IsCompleteAsync(string partition, long sequence, int parts, CancellationToken cancellationToken)
    {
        var filter = $"PartitionKey eq {TableKeys.Literal(partition)} and RowKey ge {TableKeys.Literal(RowKey(sequence, 0))} and RowKey le {TableKeys.Literal(RowKey(sequence, 999))}";
        var found = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken)) found++;
        return found == parts;
    }

    /// <summary>The rows of one commit: the payload in parts of <see cref="PartBytes"/>, the keys on the first.</summary>
    public static List<TableEntity> Rows(string partition, JournalCommit commit)
    {
        if (commit.Keys.Length > KeyColumns * TableLimits.MaxBinaryProperty)
            throw new ArgumentException($"a commit holds at most {KeyColumns * TableLimits.MaxBinaryProperty / sizeof(ulong)} reports", nameof(commit));
        var payload = commit.Payload.Span;
        var parts = Math.Max(1, (payload.Length + PartBytes - 1) / PartBytes);
        var rows = new List<TableEntity>(parts);
        for (var part = 0; part < parts; part++)
        {
            var row = new TableEntity(partition, RowKey(commit.Sequence, part))
            {
                ["Seq"] = commit.Sequence,
                ["Part"] = part,
                ["Parts"] = parts,
                ["WrittenAt"] = commit.WrittenAt.UtcDateTime,
            };
            var offset = part * PartBytes;
            BinaryColumns.Write(row, "D", payload.Slice(offset, Math.Min(PartBytes, payload.Length - offset)));
            if (part == 0) BinaryColumns.Write(row, "K", commit.Keys.Span);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Adds the commit whose rows were just read, when all its parts are there.</summary>
    private static void Complete(List<TableEntity> parts, List<JournalCommit> commits)
    {
        var first = parts[0];
        if (first.GetInt32("Part") == 0 && parts.Count == first.GetInt32("Parts"))
        {
            var payload = parts.Count == 1 ? BinaryColumns.Read(first, "D") : parts.SelectMany(part => BinaryColumns.Read(part, "D")).ToArray();
            commits.Add(new JournalCommit(first.GetInt64("Seq")!.Value, first.GetDateTimeOffset("WrittenAt")!.Value, payload, BinaryColumns.Read(first, "K")));
        }
        parts.Clear();
    }

    private static string RowKey(long sequence, int part) =>
        string.Create(CultureInfo.InvariantCulture, $"{sequence:D19}-{part:D3}");
}
