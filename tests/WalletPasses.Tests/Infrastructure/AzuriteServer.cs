using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>
/// A real Azurite (from the repository's pinned npm package) on free loopback ports, in memory or, given a data
/// folder, on disk (then it can be restarted: same folder, same ports, as a storage service coming back).
/// <see cref="Shared"/> serves the whole test run; tests isolate by using their own member ids or program ids.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly Lazy<Task<AzuriteServer>> SharedServer = new(() => StartAsync());
    private readonly int[] _ports;
    private readonly string? _dataFolder;
    private Process _process;

    private AzuriteServer(Process process, int[] ports, string? dataFolder)
    {
        _process = process;
        _ports = ports;
        _dataFolder = dataFolder;
        ConnectionString = ConnectionStringFor(ports);
    }

    public static Task<AzuriteServer> Shared => SharedServer.Value;

    public string ConnectionString { get; }

    /// <summary>Its blob, queue and table ports, as <see cref="ConnectionStringFor"/> takes them (to put a proxy in front of one).</summary>
    public int[] Ports => [.. _ports];

    /// <summary>CPU time Azurite's process has used so far (benchmarks report it per request).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static string ConnectionStringFor(int[] ports) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        $"AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{ports[0]}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{ports[1]}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{ports[2]}/devstoreaccount1;";

    /// <summary>Three free loopback ports (blob, queue, table) for <see cref="StartAsync(int[])"/>.</summary>
    public static int[] FreePorts() => [LoopbackPorts.Next(), LoopbackPorts.Next(), LoopbackPorts.Next()];

    /// <param name="dataFolder">Where Azurite keeps its data; null: in memory.</param>
    public static Task<AzuriteServer> StartAsync(string? dataFolder = null) => StartAsync(FreePorts(), dataFolder);

    /// <summary>Azurite on the given blob, queue and table ports (a test that starts storage after the app chose them).</summary>
    public static async Task<AzuriteServer> StartAsync(int[] ports, string? dataFolder = null)
    {
        var server = new AzuriteServer(Launch(ports, dataFolder), ports, dataFolder);
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>
    /// Stops Azurite as its service manager would (SIGTERM: it saves its data and closes), then starts it again on
    /// the same folder and ports; <paramref name="whileDown"/> runs in between.
    /// </summary>
    public async Task RestartAsync(Func<Task>? whileDown = null)
    {
        if (_dataFolder is null)
        {
            throw new InvalidOperationException("An in-memory Azurite loses everything when stopped: start it with a data folder.");
        }

        using (var terminate = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await terminate.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
        if (whileDown is not null)
        {
            await whileDown();
        }

        _process = Launch(_ports, _dataFolder);
        await WaitUntilReadyAsync();
    }

    private static Process Launch(int[] ports, string? dataFolder)
    {
        var executable = RepositoryPaths.Combine("node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException("Azurite is not installed: run 'npm ci' in the repository root (test.sh does).");
        }

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (dataFolder is null ? ["--inMemoryPersistence"] : new[] { "--location", dataFolder }).Concat(
        [
            "--silent", "--disableTelemetry", "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", ports[0].ToString(), "--queuePort", ports[1].ToString(), "--tablePort", ports[2].ToString(),
        ]))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Azurite.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill(process);
        return process;
    }

    public TableServiceClient Tables => new(ConnectionString);

    public BlobServiceClient Blobs => new(ConnectionString);

    private async Task WaitUntilReadyAsync()
    {
        // Node takes 10-15 s to start Azurite on a loaded 2-core machine, more while the test run itself compiles and starts.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            try
            {
                await Tables.GetPropertiesAsync();
                await Blobs.GetPropertiesAsync();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill(_process);
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
