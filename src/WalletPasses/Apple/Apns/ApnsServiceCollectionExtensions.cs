using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace WalletPasses.Apple.Apns;

public static class ApnsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IApnsClient"/> (a singleton owning the APNs connection pool), <see cref="ApnsHealth"/>
    /// and the start-up checks of the <c>Apns*</c> settings of <see cref="AppleOptions"/>, which the caller binds
    /// (<c>AddApple</c> does). The app must also register an <see cref="IApnsClientCertificateSource"/>.
    /// </summary>
    public static IServiceCollection AddApnsClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions<AppleOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AppleOptions>, ApnsSettingsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApnsHealth>();
        services.TryAddSingleton<IApnsClient, ApnsClient>();
        services.AddHostedService<ApnsEndpointCheck>();
        return services;
    }
}
