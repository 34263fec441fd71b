using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Security;

/// <summary>The app with every log category at Trace (the most an operator could turn on) and its log captured.</summary>
public sealed class VerboseLoggingFixture : IAsyncLifetime
{
    public LogCapture Log { get; } = new();

    public WalletPassesFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteServer.Shared;
        Factory = new WalletPassesFactory(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:System"] = "Trace",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
            ["Logging:LogLevel:Azure.Core"] = "Trace",
        })
        {
            ConfigureTestServices = services => services.AddSingleton<ILoggerProvider>(Log),
        };
        using var client = Factory.CreateClient();
        (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
