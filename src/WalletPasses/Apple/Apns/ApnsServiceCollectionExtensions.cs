using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace WalletPasses.Apple.Apns;

public static class ApnsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IApnsClient"/> (a singleton owning the APNs connection pool), <see cref="ApnsHealth"/>
    /// and <see cref="ApnsOptions"/> bound from <c>WalletPasses:Apple</c> and validated at startup.
    /// The app must also register an <see cref="IApnsClientCertificateSource"/>.
    /// </summary>
    public static IServiceCollection AddApnsClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<ApnsOptions>()
            .Bind(configuration.GetSection(ApnsOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApnsOptions>, ApnsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApnsHealth>();
        services.TryAddSingleton<IApnsClient, ApnsClient>();
        services.AddHostedService<ApnsEndpointCheck>();
        return services;
    }
}
