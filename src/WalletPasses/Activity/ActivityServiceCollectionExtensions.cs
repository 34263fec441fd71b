using WalletPasses.Storage;

namespace WalletPasses.Activity;

public static class ActivityServiceCollectionExtensions
{
    /// <summary>Pass activity messages and their publisher.</summary>
    public static IServiceCollection AddActivity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PassActivity>();
        services.AddSingleton<PassActivityPublisher>();
        return services;
    }
}
