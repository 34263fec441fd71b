using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Integration;

namespace WalletPasses.Tests.Hosting;

/// <summary>The built app started the way the Azure Functions host starts a custom handler.</summary>
public sealed class CustomHandlerTests
{
    private static Dictionary<string, string> HandlerEnvironment(AzuriteServer azurite, int port)
    {
        // The Functions host hands app settings to the handler as environment variables ("__" separators).
        var environment = new WalletPassesFactory(azurite.ConnectionString).Settings
            .ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value ?? "");
        environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString();
        environment["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production";
        return environment;
    }

    [Fact]
    public async Task Under_the_Functions_host_the_handler_answers_on_127_0_0_1_at_the_given_port_only()
    {
        var azurite = await AzuriteServer.Shared;
        var port = FreePort();
        using var handler = StartHandler(HandlerEnvironment(azurite, port));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        var health = await WaitForHealthAsync(http, $"http://127.0.0.1:{port}/api/health", handler);
        Assert.True(health.IsSuccessStatusCode, handler.Process.HasExited ? handler.Output : "");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        using var ipv6 = new TcpClient(AddressFamily.InterNetworkV6);
        await Assert.ThrowsAnyAsync<SocketException>(() => ipv6.ConnectAsync(IPAddress.IPv6Loopback, port));
    }

    [Theory]
    [InlineData("WalletPasses__Apple__CertificatePassword", "not-the-password-4711", "wrong CertificatePassword")]
    [InlineData("WalletPasses__ApiKeys__Backend__dev", "dev-backend-key", "development-only key")]
    [InlineData("WalletPasses__SigningSecret", "dev-only-signing-secret-replace-me-in-production-0123456789", "development-only example value")]
    public async Task A_bad_setting_stops_start_up_with_a_clear_message_that_never_echoes_a_secret(string setting, string value, string expectedMessage)
    {
        var azurite = await AzuriteServer.Shared;
        var environment = HandlerEnvironment(azurite, FreePort());
        environment[setting] = value;
        using var handler = StartHandler(environment);

        var output = await WaitForExitAsync(handler);

        Assert.NotEqual(0, handler.ExitCode);
        Assert.Contains(expectedMessage, output);
        Assert.DoesNotContain(value, output);
    }

    [Fact]
    public void Host_json_declares_a_custom_handler_with_HTTP_pass_through_under_api()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("function-host", "host.json")));
        var root = host.RootElement;

        Assert.Equal("2.0", root.GetProperty("version").GetString());
        var handler = root.GetProperty("customHandler");
        Assert.True(handler.GetProperty("enableProxyingHttpRequest").GetBoolean());
        Assert.False(string.IsNullOrEmpty(handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString()));
        Assert.Equal("api", root.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", root.GetProperty("extensionBundle").GetProperty("id").GetString());
    }

    [Fact]
    public void The_catch_all_HTTP_function_has_exactly_one_anonymous_httpTrigger_and_one_http_output()
    {
        using var function = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("function-host", "http", "function.json")));
        var bindings = function.RootElement.GetProperty("bindings").EnumerateArray().ToArray();

        var trigger = Assert.Single(bindings, b => b.GetProperty("type").GetString() == "httpTrigger");
        Assert.Single(bindings, b => b.GetProperty("type").GetString() == "http" && b.GetProperty("direction").GetString() == "out");
        Assert.Equal(2, bindings.Length);
        Assert.Equal("anonymous", trigger.GetProperty("authLevel").GetString());
        Assert.Equal("{*path}", trigger.GetProperty("route").GetString());
        var methods = trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()).ToArray();
        Assert.Subset(methods.ToHashSet(), new HashSet<string?> { "get", "head", "post", "put", "delete" });
    }

    private static HandlerProcess StartHandler(Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = TestCertificates.NewFolder(), // no local.settings.json here, as under the host
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "WalletPasses.dll"));
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("WalletPasses", StringComparison.OrdinalIgnoreCase) || k.EndsWith("_ENVIRONMENT", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new HandlerProcess(Process.Start(start)!);
    }

    private static async Task<HttpResponseMessage> WaitForHealthAsync(HttpClient http, string url, HandlerProcess handler)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return await http.GetAsync(url);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !handler.Process.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    private static async Task<string> WaitForExitAsync(HandlerProcess handler)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await handler.Process.WaitForExitAsync(timeout.Token);
        return handler.Output;
    }

    /// <summary>The handler process, its output collected, killed when the test ends.</summary>
    private sealed class HandlerProcess : IDisposable
    {
        private readonly System.Text.StringBuilder _output = new();

        public HandlerProcess(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public int ExitCode => Process.ExitCode;

        public string Output
        {
            get
            {
                Process.WaitForExit(); // flushes the asynchronous readers once exited
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        private void Append(string? line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
