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
        Azurite = await AzuriteServer.Shared;
        Factory = new WalletPassesFactory(Azurite.ConnectionString, SettingOverrides, EnvironmentName);
        using var client = Factory.CreateClient();
        (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
