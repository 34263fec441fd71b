using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Browser;

/// <summary>
/// One app over real HTTP for the browser tests, in the Development environment (the demo page exists only
/// there), polling events quickly so previews update soon after a click.
/// </summary>
public sealed class BrowserAppFixture : IAsyncLifetime
{
    public KestrelApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await KestrelApp.StartAsync("Development", new Dictionary<string, string?>
    {
        ["WalletPasses:Events:MaxIdleDelay"] = "00:00:00.200",
    });

    public async Task DisposeAsync() => await App.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<BrowserAppFixture>
{
    public const string Name = "browser";
}
