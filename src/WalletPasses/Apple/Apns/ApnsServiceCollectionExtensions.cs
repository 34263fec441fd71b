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
        services.TryAddSingleton<ApnsHealth>();
        // Retries run on the wall clock, whatever clock the app's rules are given (tests freeze theirs).
        services.TryAddSingleton<IApnsClient>(sp => ActivatorUtilities.CreateInstance<ApnsClient>(sp, TimeProvider.System));
        services.AddHostedService<ApnsEndpointCheck>();
        return services;
    }
}
