using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Benchmarks;

/// <summary>
/// Devices refetching right after a push, over real HTTP (Kestrel) against Azurite: the 304 path
/// (If-Modified-Since current) and the 200 path (the version is built once, then served from memory), each
/// compared in alternating slices with the bare Azurite point read of the member row (its pass version and
/// authenticationToken must be current, so it is never cached across requests). A refetch costs one point read of
/// that row (of its pass columns only); the target is at least 0.9x the full row's read rate. The delivery trace is
/// on, as in production: every fetch is recorded, and the report says how many fetches its rows account for.
/// </summary>
public static class DeviceRefetchBenchmark
{
    private const int Concurrency = 32;
    private const double Target = 0.9;

    // Many short alternating slices: on a shared machine the load changes within seconds.
    private const int Rounds = 12;
    private const double SliceSeconds = 0.5;
    private const double WarmUpSeconds = 2;

    public static async Task RunAsync(string[] args)
    {
        await using var app = await BenchmarkApp.StartAsync();
        var (azurite, factory) = (app.Azurite, app.Factory);
        using var client = factory.CreateClient();
        var pass = await InstallPassAsync(client);
        var passPath = $"/api/passkit/v1/passes/{pass.PassTypeIdentifier}/{pass.SerialNumber}";
        var first = await SendAsync(client, passPath, pass, null);
        var lastModified = first.Content.Headers.LastModified;
        var members = new Azure.Data.Tables.TableClient(azurite.ConnectionString, factory.StoragePrefix + "members");
        Func<Task> pointRead = () => members.GetEntityAsync<Azure.Data.Tables.TableEntity>(pass.MemberId, "member");

        Func<Task> refetch304 = async () => Expect(await SendAsync(client, passPath, pass, lastModified), HttpStatusCode.NotModified);
        Func<Task> refetch200 = async () => Expect(await SendAsync(client, passPath, pass, null), HttpStatusCode.OK);
        // The factory's clock is frozen; trace rows are keyed by their time, so each flush's folded fetch row would
        // replace the previous one. A clock moving on keeps every flush's row, and the count below whole.
        using var clock = new Timer(_ => factory.Time.Advance(TimeSpan.FromMilliseconds(1)), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(50));

        // Tiered JIT compilation of both paths settles first, so the slices compare steady states.
        foreach (var warmUp in new[] { pointRead, refetch304, refetch200 })
        {
            await LoadRunner.RequestsPerSecondAsync(warmUp, Concurrency, TimeSpan.FromSeconds(WarmUpSeconds));
        }

        var (notModified, reads304) = await LoadRunner.CompareAsync(refetch304, pointRead, Concurrency, Rounds, SliceSeconds);
        var (fullPass, reads200) = await LoadRunner.CompareAsync(refetch200, pointRead, Concurrency, Rounds, SliceSeconds);

        var trace = factory.Services.GetRequiredService<DeliveryTrace>();
        await trace.FlushAsync(CancellationToken.None);
        var fetchRows = await members.QueryAsync<DeliveryTraceEntity>(Azure.Data.Tables.TableClient.CreateQueryFilter(
            $"PartitionKey eq {pass.MemberId} and RowKey ge {DeliveryTraceEntity.RowKeyPrefix} and RowKey lt {DeliveryTraceEntity.RowKeyEnd} and Kind eq {DeliveryTraceKinds.Fetch}")).ToListAsync();

        Console.WriteLine($"== Device refetch ({Concurrency} concurrent devices, HTTP/1.1 loopback, Azurite, delivery trace on) ==");
        Console.WriteLine($"pass, 304 Not Modified:            {notModified,10:N0} req/s   Azurite member point read alone: {reads304,10:N0} /s   ratio {notModified / reads304:N2}x (target >= {Target:N1}x)");
        Console.WriteLine($"pass, 200 from the version cache:  {fullPass,10:N0} req/s   Azurite member point read alone: {reads200,10:N0} /s   ratio {fullPass / reads200:N2}x (target >= {Target:N1}x; {first.Content.Headers.ContentLength / 1024} KB each)");
        Console.WriteLine($"delivery trace: {fetchRows.Sum(r => r.Count):N0} fetches (304: {fetchRows.Where(r => r.Status == 304).Sum(r => r.Count):N0}, 200: {fetchRows.Where(r => r.Status == 200).Sum(r => r.Count):N0}) recorded in {fetchRows.Count:N0} rows, written off the request path");
    }

    /// <summary>Creates a member and installs its pass over the Kestrel address (the links name the public base URL).</summary>
    public static async Task<InstalledPass> InstallPassAsync(HttpClient client)
    {
        var memberId = TestMembers.NewId();
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/members/{memberId}") { Content = TestMembers.Json("""{"displayName": "Jane Doe", "points": 1250, "tier": "gold"}""") };
        put.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WalletPassesFactory.BackendKey);
        var member = await (await client.SendAsync(put)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var link = new Uri(member.GetProperty("apple").GetProperty("passUrl").GetString()!);
        var pass = new PkPass(await client.GetByteArrayAsync(link.PathAndQuery));
        return new InstalledPass(memberId, pass.PassJson.GetProperty("serialNumber").GetString()!, pass.PassJson.GetProperty("passTypeIdentifier").GetString()!,
            pass.PassJson.GetProperty("authenticationToken").GetString()!, pass.PassJson.GetProperty("webServiceURL").GetString()!);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, InstalledPass pass, DateTimeOffset? ifModifiedSince)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("ApplePass", pass.AuthenticationToken);
        request.Headers.IfModifiedSince = ifModifiedSince;
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        return response;
    }

    private static void Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            if (response.StatusCode != status)
            {
                throw new InvalidOperationException($"Expected {status}, got {response.StatusCode}.");
            }
        }
    }
}
