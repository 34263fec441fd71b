using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Benchmarks;

/// <summary>The real app on Kestrel (real HTTP on loopback) over its own Azurite, quiet logging.</summary>
public sealed class BenchmarkApp : IAsyncDisposable
{
    private BenchmarkApp(AzuriteServer azurite, WalletPassesFactory factory)
    {
        Azurite = azurite;
        Factory = factory;
    }

    public AzuriteServer Azurite { get; }

    public WalletPassesFactory Factory { get; }

    public static async Task<BenchmarkApp> StartAsync()
    {
        var azurite = await AzuriteServer.StartAsync();
        return new BenchmarkApp(azurite, StartFactory(azurite, null));
    }

    /// <summary>An app instance over <paramref name="azurite"/> (more instances: the same storage prefix in <paramref name="settings"/>).</summary>
    public static WalletPassesFactory StartFactory(AzuriteServer azurite, IDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var factory = new WalletPassesFactory(azurite.ConnectionString, all);
        factory.UseKestrel(0);
        factory.StartServer();
        return factory;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}
