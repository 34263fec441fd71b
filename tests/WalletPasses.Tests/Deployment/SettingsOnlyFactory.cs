using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace WalletPasses.Tests.Deployment;

/// <summary>
/// The standalone app configured with the given settings and nothing else (no test defaults), in an
/// environment of choice: what an operator's app settings alone make of it.
/// </summary>
public sealed class SettingsOnlyFactory(IReadOnlyDictionary<string, string?> settings, string environment) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        // Host settings too, as WalletPassesFactory does: Program reads some while it registers services.
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
    }
}
