using Microsoft.Extensions.Options;
using WalletPasses.Jobs;

namespace WalletPasses.Popups;

public static class PopupsServiceCollectionExtensions
{
    /// <summary>Pop-up storage, the carried pop-ups passes read, and the job that notices pop-ups opening and closing (<see cref="IPopupReissue"/> comes from Publishing).</summary>
    public static IServiceCollection AddPopups(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PopupsOptions>().Bind(configuration.GetSection(PopupsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PopupsOptions>, PopupsOptionsValidator>();
        services.AddSingleton<PopupStore>();
        services.AddSingleton<CarriedPopups>();
        services.AddPeriodicJob<PopupTransitionsJob>();
        return services;
    }
}
