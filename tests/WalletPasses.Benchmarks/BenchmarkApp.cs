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
        var factory = new WalletPassesFactory(azurite.ConnectionString, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        factory.UseKestrel(0);
        factory.StartServer();
        return new BenchmarkApp(azurite, factory);
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}
