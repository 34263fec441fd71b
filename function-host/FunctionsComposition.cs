using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Hosting;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using WalletPasses.Storage;
using WalletPasses.Telemetry;

namespace WalletPasses.Functions;

public static class FunctionsComposition
{
    /// <summary>
    /// The application's services as the standalone host has them, minus its in-process loops: under the
    /// Functions host the queue and timer triggers drive all background work.
    /// </summary>
    public static IServiceCollection AddWalletPassesFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddWalletPasses(configuration);
        if (TelemetryServiceCollectionExtensions.ExportConfigured(configuration))
        {
            // The worker exports its own telemetry: the host stops forwarding the worker's logs, and the worker's
            // invocation spans (children of the host's) join the app's traces.
            services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        }

        services.AddSingleton<ApiEndpoints>();
        services.AddSingleton<ApplicationEndpointDataSource>();
        services.AddSingleton<EndpointDataSource>(sp => sp.GetRequiredService<ApplicationEndpointDataSource>());
        // The worker's own Kestrel receives the host's forwarded requests: the same limits as standalone.
        services.Configure<KestrelServerOptions>(KestrelLimits.Apply);
        return services;
    }

    /// <summary>Settings that cannot work under the Functions host, refused at start-up with what to do instead.</summary>
    public static void CheckSettings(IConfiguration configuration)
    {
        if (!string.IsNullOrEmpty(configuration[StorageClients.NamePrefixSetting]))
        {
            throw new InvalidOperationException(
                $"{StorageClients.NamePrefixSetting.Replace(":", "__", StringComparison.Ordinal)} must be empty under the Functions host: " +
                $"its queue trigger listens on '{StorageNames.LoyaltyEventsQueue}' as declared in functions.metadata. " +
                "Give each deployment its own storage account instead.");
        }
    }
}
