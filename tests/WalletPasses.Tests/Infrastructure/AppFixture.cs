using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>One app per test class over the run's shared Azurite.</summary>
public class AppFixture : IAsyncLifetime
{
    public WalletPassesFactory Factory { get; private set; } = null!;

    public AzuriteServer Azurite { get; private set; } = null!;

    protected virtual IDictionary<string, string?>? SettingOverrides => null;

    protected virtual string EnvironmentName => "Testing";

    public async Task InitializeAsync()
    {
        Azurite = await StartAzuriteAsync();
        Factory = new WalletPassesFactory(Azurite.ConnectionString, SettingOverrides, EnvironmentName);
        using var client = Factory.CreateClient();
        (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    public virtual async Task DisposeAsync() => await Factory.DisposeAsync();

    /// <summary>The storage the app runs over: the run's shared Azurite unless a fixture needs its own.</summary>
    protected virtual Task<AzuriteServer> StartAzuriteAsync() => AzuriteServer.Shared;
}
