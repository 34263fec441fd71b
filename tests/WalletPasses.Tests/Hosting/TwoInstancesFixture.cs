using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Hosting;

/// <summary>
/// Two app instances over one storage account (the same table, queue and container names), as a Functions app that
/// scaled out: HTTP requests land on either, and each runs its own queue poller and jobs. Each has its own memory
/// (caches, rate limits) and its own clock.
/// </summary>
public sealed class TwoInstancesFixture : IAsyncLifetime
{
    private readonly string _storagePrefix = "s" + Guid.NewGuid().ToString("N")[..10];

    public WalletPassesFactory First { get; private set; } = null!;

    public WalletPassesFactory Second { get; private set; } = null!;

    public AzuriteServer Azurite { get; private set; } = null!;

    public IReadOnlyList<WalletPassesFactory> Both => [First, Second];

    /// <summary>What both instances logged: a failed request's exception is in it.</summary>
    public LogCapture Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.Shared;
        First = Instance();
        Second = Instance();
        foreach (var instance in Both)
        {
            (await instance.CreateClient().GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
        }
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
    }

    private WalletPassesFactory Instance() => new(Azurite.ConnectionString, new Dictionary<string, string?>
    {
        ["WalletPasses:Storage:NamePrefix"] = _storagePrefix, // one storage for both, as the host scales out
    })
    {
        ConfigureTestServices = services => services.AddLogging(logging => logging.AddProvider(Logs)),
    };
}
