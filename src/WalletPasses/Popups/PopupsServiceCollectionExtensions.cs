using WalletPasses.Jobs;

namespace WalletPasses.Popups;

public static class PopupsServiceCollectionExtensions
{
    /// <summary>Pop-up storage, the carried pop-ups passes read, and the job that notices pop-ups opening and closing (<see cref="IPopupReissue"/> comes from Publishing).</summary>
    public static IServiceCollection AddPopups(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PopupsOptions>().Bind(configuration.GetSection(PopupsOptions.Section))
            .Validate(o => o.AnnounceBefore >= TimeSpan.Zero && o.AnnounceBefore <= TimeSpan.FromDays(30),
                $"{PopupsOptions.Section}:AnnounceBefore must be between 00:00:00 and 30.00:00:00 (how long before opening passes carry a pop-up).")
            .Validate(o => o.MaxPerProgram is >= 1 and <= 10_000, $"{PopupsOptions.Section}:MaxPerProgram must be between 1 and 10000.")
            .ValidateOnStart();
        services.AddSingleton<PopupStore>();
        services.AddSingleton<CarriedPopups>();
        services.AddPeriodicJob<PopupTransitionsJob>();
        return services;
    }
}
