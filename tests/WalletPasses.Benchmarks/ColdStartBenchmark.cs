using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using WalletPasses.Tests.Deployment;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Benchmarks;

/// <summary>
/// Scale from zero: the standalone host and a bare ASP.NET Core minimal API (tests/WalletPasses.Benchmarks.BareApp),
/// both published for linux-x64 with ReadyToRun as <c>function-host/package.sh</c> publishes the Functions app, are
/// started in turns as fresh processes against one Azurite whose tables, template and member already exist (as
/// for an instance added to a running deployment). Measured: process start to the first 200 from
/// <c>GET /api/health</c>, then the first pass download (a member's signed pass link) against a second one.
/// Targets (issue 13): first healthy answer within 1.5x the bare app's, first download at most 300 ms slower
/// than a warm one.
/// </summary>
public static class ColdStartBenchmark
{
    private const int Rounds = 5;
    private const double HealthTarget = 1.5;
    private const double FirstDownloadTargetMilliseconds = 300;

    public static async Task RunAsync(string[] args)
    {
        var scratch = Directory.CreateTempSubdirectory("walletpasses-cold-start-");
        try
        {
            var app = await PublishAsync(RepositoryPaths.Combine("src", "WalletPasses", "WalletPasses.csproj"), Path.Combine(scratch.FullName, "app"), "WalletPasses.dll");
            var bare = await PublishAsync(RepositoryPaths.Combine("tests", "WalletPasses.Benchmarks.BareApp", "WalletPasses.Benchmarks.BareApp.csproj"), Path.Combine(scratch.FullName, "bare"), "WalletPasses.Benchmarks.BareApp.dll");
            await using var azurite = await AzuriteServer.StartAsync();
            var work = Directory.CreateDirectory(Path.Combine(scratch.FullName, "work")).FullName;
            var port = FreePort();
            var settings = WriteLocalSettings(work, azurite.ConnectionString, port);
            var development = await ExternalCommand.RunAsync("dotnet", [app, "init-dev"], new Dictionary<string, string> { ["WALLETPASSES_LOCAL_SETTINGS"] = settings });
            if (development.ExitCode != 0)
            {
                throw new InvalidOperationException("init-dev failed: " + development);
            }

            var passLink = await PrepareMemberAsync(app, work, settings, port);

            var bareStarts = new List<double>();
            var appStarts = new List<double>();
            var firstDownloads = new List<double>();
            var warmDownloads = new List<double>();
            for (var round = 0; round < Rounds; round++)
            {
                bareStarts.Add(await TimeToHealthyAsync(bare, work, settings, port, afterHealthy: null));
                appStarts.Add(await TimeToHealthyAsync(app, work, settings, port, async client =>
                {
                    firstDownloads.Add(await TimeDownloadAsync(client, passLink));
                    warmDownloads.Add(await TimeDownloadAsync(client, passLink));
                }));
            }

            var (bareMedian, appMedian) = (Median(bareStarts), Median(appStarts));
            var extra = Median(firstDownloads.Zip(warmDownloads, (first, warm) => first - warm).ToList());
            Console.WriteLine($"== Cold start ({Rounds} rounds each, ReadyToRun linux-x64, fresh process, Azurite ready) ==");
            Console.WriteLine($"bare minimal API, first healthy answer:  median {bareMedian,6:N0} ms   (all: {string.Join(", ", bareStarts.Select(t => t.ToString("N0")))})");
            Console.WriteLine($"WalletPasses, first healthy answer:      median {appMedian,6:N0} ms   (all: {string.Join(", ", appStarts.Select(t => t.ToString("N0")))})   ratio {appMedian / bareMedian:N2}x (target <= {HealthTarget:N1}x)");
            Console.WriteLine($"WalletPasses, first pass download:       median {Median(firstDownloads),6:N0} ms   warm: {Median(warmDownloads):N0} ms   first - warm: {extra:N0} ms (target <= {FirstDownloadTargetMilliseconds:N0} ms)");
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static async Task<string> PublishAsync(string project, string output, string assembly)
    {
        var publish = await ExternalCommand.RunAsync("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", output, "--nologo", "-v", "quiet"]);
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"Publishing {project} failed: {publish}");
        }

        return Path.Combine(output, assembly);
    }

    /// <summary>The repository's example settings, as <c>./run.sh</c> uses them, pointed at this run's Azurite, port and folder.</summary>
    private static string WriteLocalSettings(string work, string connectionString, int port)
    {
        var settings = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Combine("local.settings.example.json")))!;
        var values = settings["Values"]!.AsObject();
        values["AzureWebJobsStorage"] = connectionString;
        values["WalletPasses__PublicBaseUrl"] = $"http://127.0.0.1:{port}";
        values["Logging__LogLevel__Default"] = "Warning";
        foreach (var file in new[] { "WalletPasses__Apple__CertificateFile", "WalletPasses__Apple__WwdrCertificateFile", "WalletPasses__Barcode__SigningKeyFile" })
        {
            values[file] = Path.Combine(work, (string)values[file]!); // init-dev writes the development certificates there
        }

        var path = Path.Combine(work, "local.settings.json");
        File.WriteAllText(path, settings.ToJsonString());
        return path;
    }

    /// <summary>A first run sets storage up and creates a member; its signed pass link is what every round downloads.</summary>
    private static async Task<string> PrepareMemberAsync(string app, string work, string settings, int port)
    {
        string? link = null;
        await TimeToHealthyAsync(app, work, settings, port, async client =>
        {
            using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/members/{TestMembers.NewId()}") { Content = TestMembers.Json("""{"displayName": "Jane Doe", "points": 1250, "tier": "gold"}""") };
            put.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "dev-backend-key");
            using var answer = await client.SendAsync(put);
            answer.EnsureSuccessStatusCode();
            var member = await answer.Content.ReadFromJsonAsync<JsonElement>();
            link = new Uri(member.GetProperty("apple").GetProperty("passUrl").GetString()!).PathAndQuery;
            await TimeDownloadAsync(client, link);
        });
        return link!;
    }

    /// <summary>Starts the process, polls its health route until it answers 200, runs <paramref name="afterHealthy"/>, stops it.</summary>
    private static async Task<double> TimeToHealthyAsync(string assembly, string work, string settings, int port, Func<HttpClient, Task>? afterHealthy)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = work, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(assembly);
        start.Environment["WALLETPASSES_LOCAL_SETTINGS"] = settings;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {assembly}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{Path.GetFileName(assembly)} exited with {process.ExitCode} before answering.");
                }

                if (clock.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException($"{Path.GetFileName(assembly)} did not answer /api/health within a minute.");
                }

                try
                {
                    using var health = await client.GetAsync("/api/health");
                    if (health.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(5);
            }

            var elapsed = clock.Elapsed.TotalMilliseconds;
            if (afterHealthy is not null)
            {
                await afterHealthy(client);
            }

            return elapsed;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<double> TimeDownloadAsync(HttpClient client, string link)
    {
        var clock = Stopwatch.StartNew();
        using var pass = await client.GetAsync(link, HttpCompletionOption.ResponseContentRead);
        pass.EnsureSuccessStatusCode();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
