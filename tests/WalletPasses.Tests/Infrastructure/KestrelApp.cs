using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>
/// The real app served by Kestrel on a free loopback port, for clients that need real HTTP (a browser).
/// Same settings and clock control as <see cref="WalletPassesFactory"/>.
/// </summary>
public sealed class KestrelApp : IAsyncDisposable
{
    private KestrelApp(WalletPassesFactory factory, Uri baseAddress)
    {
        Factory = factory;
        BaseAddress = baseAddress;
    }

    public WalletPassesFactory Factory { get; }

    /// <summary>For example http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    public static async Task<KestrelApp> StartAsync(string environment, IDictionary<string, string?>? overrides = null)
    {
        var azurite = await AzuriteServer.Shared;
        var factory = new WalletPassesFactory(azurite.ConnectionString, overrides, environment);

        // An explicit endpoint wins over the app's standalone default URL (localhost:7071).
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var app = new KestrelApp(factory, new Uri(address.TrimEnd('/') + "/"));
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        (await client.GetAsync(new Uri("api/health", UriKind.Relative))).EnsureSuccessStatusCode();
        return app;
    }

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}
