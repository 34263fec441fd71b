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
    /// <param name="clockAhead">
    /// How far the instance's clock starts ahead of the real time: set before it starts, so its periodic jobs wait their
    /// usual interval from there (advancing a running instance's clock would run every one of them at once).
    /// </param>
    public static WalletPassesFactory StartFactory(AzuriteServer azurite, IDictionary<string, string?>? settings, TimeSpan clockAhead = default)
    {
        var all = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var factory = new WalletPassesFactory(azurite.ConnectionString, all);
        factory.Time.Advance(clockAhead);
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
