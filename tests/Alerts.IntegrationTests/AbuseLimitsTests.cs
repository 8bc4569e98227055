using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alerts.IntegrationTests.Support;
using Orleans.Runtime;

namespace Alerts.IntegrationTests;

/// <summary>
/// Issue 21, item 2, through real HTTP: made-up keys cost the cluster nothing lasting, an address that keeps failing is
/// slowed down with 429 and <c>Retry-After</c>, and one key cannot take more than its share of requests.
/// </summary>
[Collection(LimitsStackTests.Name)]
public sealed class AbuseLimitsTests(LimitsStackFixture stack)
{
    private static string MadeUpKey(int i) => $"alk_k{i:x16}_{Convert.ToBase64String(BitConverter.GetBytes(i)).TrimEnd('=')}";

    private static async Task<int> ApiKeyActivationsAsync(IClusterClient client)
    {
        var statistics = await client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains("ApiKeyGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }

    [Fact]
    public async Task Three_thousand_made_up_keys_are_all_refused_leave_no_activations_and_then_the_address_waits()
    {
        // Its own loopback address, so that its failures are its own. Keys of other tests stay active (they exist).
        using var client = stack.From("127.0.0.2");
        var cluster = await stack.Stack.ClientAsync();
        var before = await ApiKeyActivationsAsync(cluster);
        var statuses = new HttpStatusCode[LimitsStackFixture.FailedAuthBurst];
        await Parallel.ForEachAsync(Enumerable.Range(0, statuses.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, cancellationToken) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/orgs/acme/users");
            request.Headers.Authorization = new("Bearer", MadeUpKey(i));
            using var response = await client.SendAsync(request, cancellationToken);
            statuses[i] = response.StatusCode;
        });
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Unauthorized, status));

        // Each made-up key cost one storage read, and no activation stays behind to hold memory.
        await Eventually.TrueAsync(async () => await ApiKeyActivationsAsync(cluster) <= before + 5, "the made-up keys' activations are gone", TimeSpan.FromSeconds(30));

        // Past its budget the address gets 429 with Retry-After, for made-up keys new or already seen.
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 200 && limited is null; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/orgs/acme/users");
            request.Headers.Authorization = new("Bearer", MadeUpKey(i % 2 == 0 ? 1_000_000 + i : i));
            var response = await client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response;
            else
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                response.Dispose();
            }
        }
        Assert.NotNull(limited);
        using (limited)
        {
            Assert.True(limited.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, "a 429 says when to retry");
            Assert.Contains("failed authentications", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Another address is not affected, and neither is the operator's key from this one (it needs no lookup).
        using var other = new HttpRequestMessage(HttpMethod.Get, "/api/v1/orgs/acme/users");
        other.Headers.Authorization = new("Bearer", MadeUpKey(7_000_000));
        using (var fromElsewhere = await stack.From("127.0.0.3").SendAsync(other)) Assert.Equal(HttpStatusCode.Unauthorized, fromElsewhere.StatusCode);
        using var operatorRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/error-catalog");
        operatorRequest.Headers.Authorization = new("Bearer", LocalDeployment.OperatorKey);
        using (var asOperator = await client.SendAsync(operatorRequest)) Assert.Equal(HttpStatusCode.OK, asOperator.StatusCode);
    }

    [Fact]
    public async Task A_key_past_its_request_budget_gets_429_with_retry_after_and_other_keys_do_not()
    {
        var org = await ApiScenario.CreateAsync(stack.Api);
        var busy = await KeyAsync(org, "monitor");
        var calm = await KeyAsync(org, "monitor");
        using var busyClient = stack.From("127.0.0.4", busy);
        var answers = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < LimitsStackFixture.KeyBurst * 3 && limited is null; i++)
        {
            var response = await busyClient.GetAsync($"{org.Path}/users");
            answers.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response;
            else response.Dispose();
        }
        Assert.NotNull(limited);
        using (limited)
        {
            // The burst was served first (the bucket refills by one a second, so a few more may have fitted).
            Assert.InRange(answers.Count(s => s == HttpStatusCode.OK), LimitsStackFixture.KeyBurst, LimitsStackFixture.KeyBurst + 10);
            Assert.True(limited.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, "a 429 says when to retry");
            Assert.Contains("This key may make", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using var calmClient = stack.From("127.0.0.4", calm);
        using (var response = await calmClient.GetAsync($"{org.Path}/users")) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The operator key is the platform's own and is not limited.
        for (var i = 0; i < LimitsStackFixture.KeyBurst * 2; i++)
        {
            using var response = await stack.Api.GetAsync($"{org.Path}/users");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    public static async Task<string> KeyAsync(ApiScenario org, string role, string? userId = null)
    {
        using var response = await org.Api.PostAsJsonAsync($"{org.Path}/keys", userId is null ? new { role } : (object)new { role, user_id = userId });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST keys answered {(int)response.StatusCode}: {text}");
        return (string)JsonNode.Parse(text)!["key"]!;
    }
}
