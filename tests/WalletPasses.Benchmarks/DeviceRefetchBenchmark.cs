using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using WalletPasses.Apple;
using WalletPasses.Delivery;
using WalletPasses.Members;
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
/// Issue 10 sets the reference for both paths: "304 and 200 refetch paths each >= 0.9x the bare Azurite point-read
/// rate measured in the same run"; the 200 path's 176 KB transfer is thus the app's to pay, not the reference's.
/// Each path also reports its cost per request (CPU of this process and of Azurite, bytes allocated), which a
/// shared machine's load moves far less than the rates.
/// </summary>
public static class DeviceRefetchBenchmark
{
    private const int Concurrency = 32;
    private const double Target = 0.9;

    // Many short alternating slices: on a shared machine the load changes within seconds.
    private const int Rounds = 12;
    private const double SliceSeconds = 0.5;
    private const double WarmUpSeconds = 2;

    // Warm-up rounds (each path and the reference for WarmUpSeconds each) until one compiles fewer than SettledMethods methods.
    private const int MaxWarmUpRounds = 3;
    private const int SettledMethods = 20;

    // Calls per path in the untimed phase that counts storage requests.
    private const int CountedCalls = 200;

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

        // Devices measured as the reference is: a bare HttpClient set up as the Azure SDK's transport sets up its own
        // (azure-sdk-for-net, Azure.Core HttpClientTransport.CreateDefaultClient: SocketsHttpHandler without cookies or
        // redirects, and Timeout = InfiniteTimeSpan, "timeouts are handled by the pipeline"); HttpClient's default
        // 100 s timeout would cost every device request a linked CancellationTokenSource and a timer that the
        // reference's requests do not pay. Each 200 body is read whole and its length checked, through a reused
        // buffer rather than a new array per answer (a large-object allocation of the benchmark's own, whose gen 2
        // collections slowed both sides of the comparison).
        using var devices = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = client.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        // A device sends the same address and header values on every refetch: built once here, as the reference's
        // point read reuses its client's table address (parsing and validating them anew per request would charge
        // the benchmark's own client work to the refetch side only).
        var passUri = new Uri(client.BaseAddress!, passPath);
        var authorization = new AuthenticationHeaderValue("ApplePass", pass.AuthenticationToken).ToString();
        var ifModifiedSince = HeaderUtilities.FormatDate(lastModified!.Value);
        Func<Task> refetch304 = () => FetchAsync(devices, passUri, authorization, ifModifiedSince, HttpStatusCode.NotModified);
        Func<Task> refetch200 = () => FetchAsync(devices, passUri, authorization, null, HttpStatusCode.OK);
        // The factory's clock is frozen; trace rows are keyed by their time, so each flush's folded fetch row would
        // replace the previous one. A clock moving on keeps every flush's row, and the count below whole.
        using var clock = new Timer(_ => factory.Time.Advance(TimeSpan.FromMilliseconds(1)), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(50));

        // Tiered JIT compilation of both paths settles first, so the slices compare steady states: on a loaded machine
        // one warm-up round is not enough (the first comparison then paid for background compilation), so rounds go on
        // until one compiles almost nothing new.
        var (warmUpRounds, compiled) = (0, JitInfo.GetCompiledMethodCount());
        while (warmUpRounds++ < MaxWarmUpRounds)
        {
            foreach (var warmUp in new[] { pointRead, refetch304, refetch200 })
            {
                await LoadRunner.RequestsPerSecondAsync(warmUp, Concurrency, TimeSpan.FromSeconds(WarmUpSeconds));
            }

            var (before, now) = (compiled, compiled = JitInfo.GetCompiledMethodCount());
            if (now - before < SettledMethods)
            {
                break;
            }
        }

        // Storage round trips per request, counted apart from the timed slices (the counter listens to every HttpClient
        // request, which would slow both sides): what the machine's load cannot change.
        var (requests304, requests200, requestsRead) = await StorageRequestsPerCallAsync(azurite, refetch304, refetch200, pointRead);

        if (args.Contains("--storage-call"))
        {
            await CompareStorageCallsAsync(factory, members, pass.MemberId, pointRead, azurite);
            return;
        }

        var loadBefore = LoadAverage();
        var (jitBefore, jitTimeBefore) = (JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime());
        Func<TimeSpan> azuriteCpu = () => azurite.ProcessorTime;
        var (notModified, reads304) = await LoadRunner.CompareAsync(refetch304, pointRead, Concurrency, Rounds, SliceSeconds, azuriteCpu);
        var (fullPass, reads200) = await LoadRunner.CompareAsync(refetch200, pointRead, Concurrency, Rounds, SliceSeconds, azuriteCpu);

        var (jitted, jitTime) = (JitInfo.GetCompiledMethodCount() - jitBefore, JitInfo.GetCompilationTime() - jitTimeBefore);

        var trace = factory.Services.GetRequiredService<DeliveryTrace>();
        await trace.FlushAsync(CancellationToken.None);
        var fetchRows = await members.QueryAsync<DeliveryTraceEntity>(Azure.Data.Tables.TableClient.CreateQueryFilter(
            $"PartitionKey eq {pass.MemberId} and RowKey ge {DeliveryTraceEntity.RowKeyPrefix} and RowKey lt {DeliveryTraceEntity.RowKeyEnd} and Kind eq {DeliveryTraceKinds.Fetch}")).ToListAsync();

        Console.WriteLine($"== Device refetch ({Concurrency} concurrent devices, HTTP/1.1 loopback, Azurite, delivery trace on; 1-minute load average {loadBefore} before, {LoadAverage()} after, {Environment.ProcessorCount} CPUs) ==");
        Console.WriteLine($"pass, 304 Not Modified:            {notModified.RequestsPerSecond,10:N0} req/s   Azurite member point read alone: {reads304.RequestsPerSecond,10:N0} /s   ratio {notModified.RequestsPerSecond / reads304.RequestsPerSecond:N2}x (target >= {Target:N1}x)");
        Console.WriteLine($"pass, 200 from the version cache:  {fullPass.RequestsPerSecond,10:N0} req/s   Azurite member point read alone: {reads200.RequestsPerSecond,10:N0} /s   ratio {fullPass.RequestsPerSecond / reads200.RequestsPerSecond:N2}x (target >= {Target:N1}x; {first.Content.Headers.ContentLength / 1024} KB each)");
        // Per request, less dependent on the machine's load than the rates: "here" is this process, client and app alike.
        Console.WriteLine($"per request   304: {notModified}");
        Console.WriteLine($"   point read (304 slices): {reads304}");
        Console.WriteLine($"per request   200: {fullPass}");
        Console.WriteLine($"   point read (200 slices): {reads200}");
        Console.WriteLine($"warm-up: {Math.Min(warmUpRounds, MaxWarmUpRounds)} round(s); JIT-compiled during the slices: {jitted:N0} methods, {jitTime.TotalMilliseconds:N0} ms");
        Console.WriteLine($"storage requests per call (counted apart, {CountedCalls} calls each; \"other\" is the device's own request to the app): 304 {requests304}; 200 {requests200}; point read {requestsRead}".Replace("other (APNs)", "other", StringComparison.Ordinal));
        if (args.Contains("--allocations"))
        {
            // Untimed: which types the bytes allocated per request go to (client and app alike), for each path and the reference.
            foreach (var (name, call, cost) in new[] { ("304", refetch304, notModified), ("200", refetch200, fullPass), ("point read", pointRead, reads304) })
            {
                Console.WriteLine($"allocated by type, {name} ({cost.AllocatedBytesPerRequest / 1024:N1} KB per request):");
                Console.WriteLine(await AllocationsByTypeAsync(call, cost.AllocatedBytesPerRequest));
            }
        }

        Console.WriteLine($"delivery trace: {fetchRows.Sum(r => r.Count):N0} fetches (304: {fetchRows.Where(r => r.Status == 304).Sum(r => r.Count):N0}, 200: {fetchRows.Where(r => r.Status == 200).Sum(r => r.Count):N0}) recorded in {fetchRows.Count:N0} rows, written off the request path");
    }

    /// <summary>
    /// The refetch's storage call alone (<c>-- device-refetch --storage-call</c>): the projection of the pass columns the
    /// app reads, against the whole row, for the benchmark's new member and for a long-standing member's row (devices, offers
    /// showing and withdrawn, a day's alerts), each in alternating slices with the reference point read. It shows what
    /// the projection costs Azurite on a small row and what it saves on a large one.
    /// </summary>
    private static async Task CompareStorageCallsAsync(WalletPassesFactory factory, Azure.Data.Tables.TableClient members, string memberId, Func<Task> pointRead, AzuriteServer azurite)
    {
        var longStanding = (await members.GetEntityAsync<MemberEntity>(memberId, MemberEntity.RowKeyValue)).Value;
        longStanding.PartitionKey = memberId + "-long-standing";
        var now = factory.Time.GetUtcNow();
        // Within the event API's limits (LoyaltyEventValidation): ids up to 64 characters, titles 100, texts 500; 50 tombstones are kept (EventState).
        var offers = Enumerable.Range(0, 55).Select(i => i < 50
                ? new OfferState($"spring-{i:D3}-double-points-weekend", null, null, now.AddDays(-i), 100 + i, Withdrawn: true)
                : new OfferState($"winter-{i:D3}-free-pastry", "A free pastry with any hot drink", new string('x', 200), now.AddDays(30), 100 + i, Withdrawn: false))
            .ToArray();
        longStanding.Record(new EventState(
            new Dictionary<string, long> { ["points"] = 1_234, ["tier"] = 1_200, ["displayName"] = 3, ["referralUrl"] = 4, ["language"] = 5 },
            offers,
            Enumerable.Range(0, 10).Select(i => now.AddHours(-i)).ToArray()));
        longStanding.DevicesJson = MemberRowDevices.Write(Enumerable.Range(0, 5).Select(i =>
            new DeviceRegistration(Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant(), Convert.ToHexString([.. Guid.NewGuid().ToByteArray(), .. Guid.NewGuid().ToByteArray()]), longStanding.SerialNumber, now)));
        await members.UpsertEntityAsync(longStanding, Azure.Data.Tables.TableUpdateMode.Replace);
        Console.WriteLine($"== Refetch storage call ({Concurrency} concurrent, load average {LoadAverage()}); long-standing row: event state {longStanding.EventStateJson!.Length:N0} characters, offers {longStanding.OffersJson!.Length:N0}, devices {longStanding.DevicesJson.Length:N0} ==");
        foreach (var (name, id) in new[] { ("new member", memberId), ("long-standing member", longStanding.PartitionKey) })
        {
            foreach (var (read, call) in new (string, Func<Task>)[]
            {
                ("pass columns (the app's read)", () => members.GetEntityIfExistsAsync<MemberEntity>(id, MemberEntity.RowKeyValue, MemberEntity.PassColumns)),
                ("whole row", () => members.GetEntityIfExistsAsync<MemberEntity>(id, MemberEntity.RowKeyValue)),
            })
            {
                var (cost, reference) = await LoadRunner.CompareAsync(call, pointRead, Concurrency, Rounds, SliceSeconds, () => azurite.ProcessorTime);
                Console.WriteLine($"{name}, {read}: {cost.RequestsPerSecond / reference.RequestsPerSecond:N2}x the reference point read\n   {cost}\n   reference: {reference}");
            }
        }
    }

    private static async Task<string> AllocationsByTypeAsync(Func<Task> call, double bytesPerCall)
    {
        using var sampler = new AllocationSampler();
        sampler.Start();
        await LoadRunner.RequestsPerSecondAsync(call, Concurrency, TimeSpan.FromSeconds(3));
        sampler.Stop();
        return sampler.Top(15, bytesPerCall);
    }

    private static async Task<(string NotModified, string FullPass, string PointRead)> StorageRequestsPerCallAsync(
        AzuriteServer azurite, Func<Task> refetch304, Func<Task> refetch200, Func<Task> pointRead)
    {
        using var counter = new StorageRequestCounter(azurite.ConnectionString);
        async Task<string> CountAsync(Func<Task> call)
        {
            var before = counter.Snapshot();
            for (var i = 0; i < CountedCalls; i++)
            {
                await call();
            }

            return StorageRequestCounter.PerUnit(before, counter.Snapshot(), CountedCalls);
        }

        return (await CountAsync(refetch304), await CountAsync(refetch200), await CountAsync(pointRead));
    }

    /// <summary>The machine's 1-minute load average (the ratios move with it; the per-request costs much less).</summary>
    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

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
        using var request = DeviceRequest(path, pass, ifModifiedSince);
        return await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
    }

    /// <summary>One device refetch: the status checked and the whole body received.</summary>
    private static async Task FetchAsync(HttpClient client, Uri uri, string authorization, string? ifModifiedSince, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.TryAddWithoutValidation(HeaderNames.Authorization, authorization);
        if (ifModifiedSince is not null)
        {
            request.Headers.TryAddWithoutValidation(HeaderNames.IfModifiedSince, ifModifiedSince);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException($"Expected {status}, got {response.StatusCode}.");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            long received = 0;
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                received += read;
            }

            if (received != (response.Content.Headers.ContentLength ?? 0))
            {
                throw new InvalidOperationException($"Received {received} bytes of {response.Content.Headers.ContentLength}.");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static HttpRequestMessage DeviceRequest(string path, InstalledPass pass, DateTimeOffset? ifModifiedSince)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("ApplePass", pass.AuthenticationToken);
        request.Headers.IfModifiedSince = ifModifiedSince;
        return request;
    }
}
