using Alerts.Contracts;

namespace Alerts.Tests.Policies;

/// <summary>The error catalog (SPEC §7.6, issue 11): every code the issue lists, with guidance per integration type.</summary>
public sealed class ErrorCatalogTests
{
    private static readonly int[] Listed = [308, 400, 401, 403, 404, 405, 406, 408, 409, 413, 429, 500, 502, 503, 504, 521, 523, 804, 811, 816, 844, 852, 882, 883, 884];

    [Fact]
    public void Every_listed_code_is_cataloged_with_all_five_types() =>
        Assert.All(Listed, code =>
        {
            var entry = ErrorCatalog.Find(code);
            Assert.NotNull(entry);
            Assert.False(string.IsNullOrWhiteSpace(entry.Name));
            Assert.False(string.IsNullOrWhiteSpace(entry.Meaning));
            Assert.Equal(Enum.GetValues<IntegrationType>().Order(), entry.Types.Keys.Order());
            Assert.All(entry.Types.Values, g => Assert.Equal(g.Applies, !string.IsNullOrWhiteSpace(g.Guidance)));
            Assert.Contains(entry.Types.Values, g => g.Applies);
        });

    [Theory]
    [InlineData(521, "Web Server Is Down")]
    [InlineData(523, "Origin Is Unreachable")]
    [InlineData(804, "Problem While Processing the Action")]
    [InlineData(811, "Action Submission Failed")]
    [InlineData(816, "User Profile Not Found")]
    [InlineData(844, "User Has Not Verified Their Profile")]
    [InlineData(852, "Action Parameters Could Not Be Resolved")]
    [InlineData(882, "Transactions-per-Second Rate Exceeded")]
    [InlineData(883, "Transactions-per-Second Quota Exceeded")]
    [InlineData(884, "Contact Policy Not Enabled")]
    public void Platform_and_edge_codes_have_their_names(int code, string name) => Assert.Equal(name, ErrorCatalog.Find(code)!.Name);

    [Fact]
    public void Incoming_types_share_guidance_and_outgoing_types_share_theirs()
    {
        var entry = ErrorCatalog.Find(429)!;
        Assert.Equal(entry.Types[IntegrationType.InboundWebhook], entry.Types[IntegrationType.CustomEvent]);
        Assert.Equal(entry.Types[IntegrationType.OutboundWebhook], entry.Types[IntegrationType.Prebuilt]);
        Assert.Equal(entry.Types[IntegrationType.OutboundWebhook], entry.Types[IntegrationType.CustomNode]);
        Assert.Contains("limits", entry.Types[IntegrationType.InboundWebhook].Guidance);
        Assert.Contains("provider", entry.Types[IntegrationType.Prebuilt].Guidance);
        Assert.False(ErrorCatalog.Find(521)!.Types[IntegrationType.CustomEvent].Applies);
    }
}
