using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Health;

/// <summary>What a load balancer and an operator see of <c>GET /api/health</c>: the status code and the report.</summary>
public sealed record HealthProbe(HttpStatusCode StatusCode, JsonElement Report)
{
    public string Status => Report.GetProperty("status").GetString()!;

    public IReadOnlyList<string> Reasons => [.. Report.GetProperty("reasons").EnumerateArray().Select(reason => reason.GetString()!)];

    public static async Task<HealthProbe> GetAsync(WalletPassesFactory factory)
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(response.StatusCode == HttpStatusCode.ServiceUnavailable, response.Headers.RetryAfter is not null); // every 503 of the service says when to ask again
        return new HealthProbe(response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>The one reason that starts with <paramref name="start"/>.</summary>
    public string Reason(string start) =>
        Assert.Single(Reasons, reason => reason.StartsWith(start, StringComparison.Ordinal));
}
