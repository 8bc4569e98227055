using Alerts.Contracts;
using Alerts.Grains.Notify;
using Alerts.Grains.Webhooks;
using Alerts.Silo.Notify.Email;
using Microsoft.Extensions.Options;

namespace Alerts.Silo.Notify.Channels;

/// <summary>
/// What every channel links to and advises from one payload: pages of the admin UI, and a threshold alert's top codes
/// with the catalog's name and advice for the type they failed most in. E-mail and chat say the same.
/// </summary>
public sealed class NotificationLinks(IOptions<DeliveryOptions> delivery)
{
    /// <summary>A page of the admin UI for an organization (<c>Alerts:Delivery:AdminUiUrl</c>).</summary>
    public string UiLink(string orgId, string page) =>
        $"{delivery.Value.AdminUiUrl.TrimEnd('/')}/orgs/{Uri.EscapeDataString(orgId)}/{page}";

    /// <summary>The alert's top codes with the catalog's name and advice, its latest errors, links.</summary>
    public ThresholdDetails Details(string orgId, ThresholdAlert alert)
    {
        var codes = (alert.TopCodes ?? []).Select(code => new CodeLine(
                code.Code,
                ErrorCodes.NameOrNull(code.Code) ?? (code.Code is null ? "No code" : "Unknown code"),
                code.Errors,
                ErrorCatalog.Guidance(code.Code, code.MostlyIn)))
            .ToList();
        return new ThresholdDetails(codes, alert.Latest ?? [], UiLink(orgId, "failures"), UiLink(orgId, "users"));
    }
}
