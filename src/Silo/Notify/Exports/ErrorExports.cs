using Alerts.Contracts;
using Alerts.Grains;
using Alerts.Grains.Stores;
using Alerts.Grains.Lifecycle;
using Alerts.Grains.Notify;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Microsoft.Extensions.Options;

namespace Alerts.Silo.Notify.Exports;

/// <summary>A signed, expiring link to a CSV of error details, and what it holds.</summary>
public sealed record CsvLink(Uri Url, int Rows, bool Capped, DateTimeOffset ExpiresAt);

/// <summary>Prepares the CSV a notification links to.</summary>
public interface IErrorExports
{
    /// <summary>The signed link to the notification's CSV (written on first use), or null when exports are off.</summary>
    Task<CsvLink?> LinkAsync(string orgId, string entryId, ThresholdAlert alert, CancellationToken cancellationToken);
}

/// <summary>Without blob storage (the memory set-up of the unit tests) e-mails carry no CSV link.</summary>
public sealed class NoErrorExports : IErrorExports
{
    public Task<CsvLink?> LinkAsync(string orgId, string entryId, ThresholdAlert alert, CancellationToken cancellationToken) => Task.FromResult<CsvLink?>(null);
}

/// <summary>
/// CSV files in a private blob container, one per outbox entry (<c>{org}/{entry}.csv</c>), read through read-only
/// SAS links that expire <see cref="ExportOptions.LinkLifetime"/> after they are issued. A retried delivery reuses
/// the file and issues a fresh link.
/// </summary>
public sealed class BlobErrorExports(
    BlobContainerClient container,
    IErrorLog log,
    IGrainFactory grains,
    IOptions<ExportOptions> options,
    [FromKeyedServices(AlertsClock.Key)] TimeProvider clock) : IErrorExports
{
    public Task InitializeAsync(CancellationToken cancellationToken) =>
        container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);

    public async Task<CsvLink?> LinkAsync(string orgId, string entryId, ThresholdAlert alert, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient($"{orgId}/{entryId}.csv");
        var (rows, capped) = await ExistingAsync(blob, cancellationToken) ?? await WriteAsync(blob, orgId, alert, cancellationToken);

        var expires = clock.GetUtcNow() + options.Value.LinkLifetime;
        var sas = blob.GenerateSasUri(new BlobSasBuilder(BlobSasPermissions.Read, expires)
        {
            BlobContainerName = container.Name,
            BlobName = blob.Name,
            Resource = "b",
        });
        return new CsvLink(Public(sas), rows, capped, expires);
    }

    private static async Task<(int Rows, bool Capped)?> ExistingAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            var metadata = properties.Value.Metadata;
            if (!metadata.TryGetValue("rows", out var rows)) return null;
            return (int.Parse(rows, System.Globalization.CultureInfo.InvariantCulture), metadata.TryGetValue("capped", out var capped) && capped == "true");
        }
        catch (Azure.RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    private async Task<(int Rows, bool Capped)> WriteAsync(BlobClient blob, string orgId, ThresholdAlert alert, CancellationToken cancellationToken)
    {
        var integrations = (await grains.GetOrganization(orgId).ListIntegrationsAsync(ListQuery.All)).Items
            .ToDictionary(i => i.IntegrationId, i => i.Profile, StringComparer.Ordinal);
        var fileName = $"{orgId}-{alert.AlertDirection.Wire()}-errors-{alert.DecidedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.csv";
        (int Rows, bool Capped) written;
        await using (var stream = await blob.OpenWriteAsync(overwrite: true, new BlobOpenWriteOptions
        {
            HttpHeaders = new BlobHttpHeaders
            {
                ContentType = "text/csv; charset=utf-8",
                ContentDisposition = $"attachment; filename=\"{fileName}\"",
            },
        }, cancellationToken))
        {
            // The errors the notification is about: since the previous one of this direction, up to the decision.
            var errors = log.ReadAsync(orgId, alert.ExportSince, alert.DecidedAt.AddTicks(1), cancellationToken);
            written = await ErrorCsv.WriteAsync(stream, errors, integrations, alert.AlertDirection, options.Value.MaxRows, cancellationToken);
        }
        // Metadata last: a file without it is treated as unfinished and written again.
        await blob.SetMetadataAsync(new Dictionary<string, string>
        {
            ["rows"] = written.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["capped"] = written.Capped ? "true" : "false",
        }, cancellationToken: cancellationToken);
        return written;
    }

    /// <summary>The link as recipients reach it: the configured public blob endpoint, or the client's own.</summary>
    private Uri Public(Uri sas)
    {
        if (string.IsNullOrWhiteSpace(options.Value.PublicBlobBaseUrl)) return sas;
        var relative = sas.AbsoluteUri[container.Uri.AbsoluteUri.Length..];
        return new Uri($"{options.Value.PublicBlobBaseUrl.TrimEnd('/')}/{container.Name}{relative}");
    }
}
