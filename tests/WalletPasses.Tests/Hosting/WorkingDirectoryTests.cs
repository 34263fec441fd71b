using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Hosting;

/// <summary>
/// The built app started from another folder (as ./run.sh starts it from the repository root): it still
/// reads the appsettings.json beside it, so its log levels apply and requests are not logged at Information.
/// </summary>
public sealed class WorkingDirectoryTests
{
    [Fact]
    public async Task Started_from_another_folder_the_app_applies_its_own_appsettings_json()
    {
        var azurite = await AzuriteServer.Shared;
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = TestCertificates.NewFolder(), // no appsettings.json and no local.settings.json here
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "WalletPasses.dll"));
        start.ArgumentList.Add("--urls=http://127.0.0.1:" + port);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("WalletPasses", StringComparison.OrdinalIgnoreCase) || k.EndsWith("_ENVIRONMENT", StringComparison.Ordinal) || k.StartsWith("Logging", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (key, value) in new WalletPassesFactory(azurite.ConnectionString).Settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Staging";
        var output = new StringBuilder();
        using var app = Process.Start(start)!;
        app.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        app.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.HoldsAsync(async () => !app.HasExited && await IsHealthyAsync(http, port), "the app answers /api/health");
            await Eventually.HoldsAsync(() => Read(output).Contains("Storage ready", StringComparison.Ordinal), "the app's own Information log shows");
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }

        var log = Read(output);
        Assert.Contains("Storage ready", log, StringComparison.Ordinal); // WalletPasses categories: Information
        Assert.DoesNotContain("Request starting", log, StringComparison.Ordinal); // Microsoft.AspNetCore: Warning
    }

    private static async Task<bool> IsHealthyAsync(HttpClient http, int port)
    {
        try
        {
            return (await http.GetAsync($"http://127.0.0.1:{port}/api/health")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
