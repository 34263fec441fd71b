using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Apple;

namespace WalletPasses.Tests.Deployment;

/// <summary>
/// The standalone app configured with the given settings and nothing else (no test defaults), in an
/// environment of choice: what an operator's app settings alone make of it.
/// </summary>
public sealed class SettingsOnlyFactory(IReadOnlyDictionary<string, string?> settings, string environment) : WebApplicationFactory<Program>
{
    public IReadOnlyDictionary<string, string?> Settings => settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        // Host settings too, as WalletPassesFactory does: Program reads some while it registers services.
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        if (!RequireAppleIssuedCertificate)
        {
            builder.ConfigureServices(services =>
            {
                foreach (var check in services.Where(descriptor => descriptor.ImplementationType == typeof(AppleProductionOptionsValidator)).ToList())
                {
                    services.Remove(check);
                }
            });
        }
    }

    /// <summary>
    /// Production refuses pass certificates not chained to Apple Root CA, which no test certificate can be; a test
    /// that checks everything else about Production settings turns that one check off, and says so.
    /// </summary>
    public bool RequireAppleIssuedCertificate { get; init; } = true;
}
