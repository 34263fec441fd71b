using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>
/// The standalone host (the built WalletPasses.dll beside the tests) as its own OS process on a loopback port,
/// configured only through environment variables (<c>Section__Key</c>, as an operator's app settings reach it),
/// with its output kept for the test to read. <see cref="Kill"/> is kill -9: no shutdown code runs.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private AppProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What the app wrote to standard output and error so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the app with <paramref name="settings"/> (configuration keys, ':' separated) and waits until it answers /api/health.</summary>
    /// <param name="port">A port to listen on (a restarted instance keeps its port); null: a free one.</param>
    /// <param name="workingDirectory">Where to start it; null: a new empty folder (no appsettings.json, no local.settings.json).</param>
    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, string environment, int? port = null, string? workingDirectory = null)
    {
        var listenOn = port ?? FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? TestCertificates.NewFolder(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "WalletPasses.dll"));
        start.ArgumentList.Add("--urls=http://127.0.0.1:" + listenOn.ToString(CultureInfo.InvariantCulture));

        // Nothing of the test run's own environment (a developer's settings) may reach the app.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("WalletPasses", StringComparison.OrdinalIgnoreCase) || k.EndsWith("_ENVIRONMENT", StringComparison.Ordinal) || k.StartsWith("Logging", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["DOTNET_ENVIRONMENT"] = environment;
        var app = new AppProcess(Process.Start(start)!, listenOn);
        app._process.OutputDataReceived += (_, e) => app.Append(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => app.Kill();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.HoldsAsync(
                async () => app.HasExited ? throw new InvalidOperationException("The app exited at start:\n" + app.Output) : await app.IsHealthyAsync(http),
                "the app answers /api/health");
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    /// <summary>kill -9: the process ends at once, whatever it was doing (no graceful shutdown, nothing flushed).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone (or disposed).
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private async Task<bool> IsHealthyAsync(HttpClient http)
    {
        try
        {
            return (await http.GetAsync(new Uri(BaseAddress, "api/health"))).IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>A port the instance keeps across a kill and a restart (see <see cref="LoopbackPorts"/>).</summary>
    public static int FreePort() => LoopbackPorts.Next();
}
