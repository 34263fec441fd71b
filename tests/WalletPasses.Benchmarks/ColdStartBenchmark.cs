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
/// than a warm one. The bare app runs twice a round: answering a constant, and (the reference for the target)
/// answering after one Table Storage read, since WalletPasses' health must reach storage to report it honestly and a
/// bare app that never loads a storage client measures a different thing. Next to each wall-clock median it prints
/// the process's CPU time up to that answer (less sensitive to a loaded machine); then, in further rounds with a
/// startup hook (tests/WalletPasses.Benchmarks.StartupTimings), where the start-up time goes: each phase's end in
/// wall-clock and CPU milliseconds and the methods JIT-compiled by then, for the reference and for WalletPasses.
/// </summary>
public static class ColdStartBenchmark
{
    private const int Rounds = 5;
    private const int PhaseRounds = 3;
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

            var bareStarts = new List<StartMeasure>();
            var probingStarts = new List<StartMeasure>();
            var appStarts = new List<StartMeasure>();
            var firstDownloads = new List<double>();
            var warmDownloads = new List<double>();
            var probing = new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString };
            for (var round = 0; round < Rounds; round++)
            {
                bareStarts.Add(await TimeToHealthyAsync(bare, work, settings, port, afterHealthy: null));
                probingStarts.Add(await TimeToHealthyAsync(bare, work, settings, port, afterHealthy: null, ["--storage-probe"], probing));
                appStarts.Add(await TimeToHealthyAsync(app, work, settings, port, async client =>
                {
                    firstDownloads.Add(await TimeDownloadAsync(client, passLink));
                    warmDownloads.Add(await TimeDownloadAsync(client, passLink));
                }));
            }

            var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            var probingPhases = new List<IReadOnlyList<StartPhase>>();
            var appPhases = new List<IReadOnlyList<StartPhase>>();
            for (var round = 0; round < PhaseRounds; round++)
            {
                probingPhases.Add((await TimeToHealthyAsync(bare, work, settings, port, afterHealthy: null, ["--storage-probe"], WithPhases(probing, work))).Phases);
                appPhases.Add((await TimeToHealthyAsync(app, work, settings, port, afterHealthy: null, environment: WithPhases(new Dictionary<string, string>(), work))).Phases);
            }

            var (bareMedian, probingMedian, appMedian) = (Median(bareStarts.ConvertAll(s => s.Milliseconds)), Median(probingStarts.ConvertAll(s => s.Milliseconds)), Median(appStarts.ConvertAll(s => s.Milliseconds)));
            var (probingCpu, appCpu) = (Median(probingStarts.ConvertAll(s => s.CpuMilliseconds)), Median(appStarts.ConvertAll(s => s.CpuMilliseconds)));
            var extra = Median(firstDownloads.Zip(warmDownloads, (first, warm) => first - warm).ToList());
            Console.WriteLine($"== Cold start ({Rounds} rounds each, ReadyToRun linux-x64, fresh process, Azurite ready; load average {load} before, {File.ReadAllText("/proc/loadavg").Split(' ')[0]} after) ==");
            Console.WriteLine($"bare minimal API, constant answer:        median {bareMedian,6:N0} ms   cpu {Median(bareStarts.ConvertAll(s => s.CpuMilliseconds)),5:N0} ms   (all: {All(bareStarts)})");
            Console.WriteLine($"bare minimal API, one storage read:       median {probingMedian,6:N0} ms   cpu {probingCpu,5:N0} ms   (all: {All(probingStarts)})");
            Console.WriteLine($"WalletPasses, first healthy answer:       median {appMedian,6:N0} ms   cpu {appCpu,5:N0} ms   (all: {All(appStarts)})");
            Console.WriteLine($"  ratio to the bare app with a storage read {appMedian / probingMedian:N2}x (target <= {HealthTarget:N1}x; cpu {appCpu / probingCpu:N2}x); to the constant answer {appMedian / bareMedian:N2}x");
            Console.WriteLine($"WalletPasses, first pass download:        median {Median(firstDownloads),6:N0} ms   warm: {Median(warmDownloads):N0} ms   first - warm: {extra:N0} ms (target <= {FirstDownloadTargetMilliseconds:N0} ms)");
            Console.WriteLine($"Start-up phases (medians of {PhaseRounds} rounds with the timing hook; each phase's end: ms since process start / cpu ms / methods JIT-compiled / ms spent compiling them):");
            Console.WriteLine($"  {"phase ends",-44} {"bare app, one storage read",-28} WalletPasses");
            foreach (var (phase, description) in StartPhase.Names)
            {
                Console.WriteLine($"  {description,-44} {PhaseMedian(probingPhases, phase),-28} {PhaseMedian(appPhases, phase)}");
            }
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

    /// <summary>The environment of a round with the startup hook, which writes the phases to a file in <paramref name="work"/>.</summary>
    private static Dictionary<string, string> WithPhases(IReadOnlyDictionary<string, string> environment, string work) => new(environment)
    {
        ["DOTNET_STARTUP_HOOKS"] = Path.Combine(AppContext.BaseDirectory, "WalletPasses.Benchmarks.StartupTimings.dll"),
        [StartPhase.FileVariable] = Path.Combine(work, "start-up-phases.txt"),
    };

    /// <summary>Starts the process, polls its health route until it answers 200, runs <paramref name="afterHealthy"/>, stops it.</summary>
    private static async Task<StartMeasure> TimeToHealthyAsync(
        string assembly, string work, string settings, int port, Func<HttpClient, Task>? afterHealthy,
        IReadOnlyList<string>? arguments = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = work, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.Environment["WALLETPASSES_LOCAL_SETTINGS"] = settings;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var phases = start.Environment.TryGetValue(StartPhase.FileVariable, out var phaseFile) ? phaseFile : null;
        if (phases is not null)
        {
            File.Delete(phases);
        }

        var started = Stopwatch.GetTimestamp();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {assembly}.");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>(); // the last lines, for a start that fails
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            while (output.Count > 40 && output.TryDequeue(out _))
            {
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{Path.GetFileName(assembly)} exited with {process.ExitCode} before answering:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
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
            process.Refresh();
            var cpu = process.TotalProcessorTime.TotalMilliseconds;
            if (afterHealthy is not null)
            {
                await afterHealthy(client);
            }

            return new StartMeasure(elapsed, cpu, phases is null ? [] : await StartPhase.ReadAsync(phases, started));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>One start: wall-clock and CPU milliseconds to the first healthy answer, and the phases when timed.</summary>
    private sealed record StartMeasure(double Milliseconds, double CpuMilliseconds, IReadOnlyList<StartPhase> Phases);

    private static async Task<double> TimeDownloadAsync(HttpClient client, string link)
    {
        var clock = Stopwatch.StartNew();
        using var pass = await client.GetAsync(link, HttpCompletionOption.ResponseContentRead);
        pass.EnsureSuccessStatusCode();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static string All(List<StartMeasure> values) => string.Join(", ", values.Select(t => t.Milliseconds.ToString("N0")));

    private static string PhaseMedian(List<IReadOnlyList<StartPhase>> rounds, string phase)
    {
        var ends = rounds.Select(round => round.FirstOrDefault(p => p.Name == phase)).OfType<StartPhase>().ToList();
        return ends.Count == 0
            ? "-"
            : $"{Median(ends.ConvertAll(p => p.Milliseconds)),6:N0} / {Median(ends.ConvertAll(p => p.CpuMilliseconds)),4:N0} / {Median(ends.ConvertAll(p => (double)p.JitCompiledMethods)),5:N0} / {Median(ends.ConvertAll(p => p.JitMilliseconds)),4:N0}";
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
