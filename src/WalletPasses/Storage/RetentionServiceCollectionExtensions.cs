using Microsoft.Extensions.Options;
using WalletPasses.Jobs;

namespace WalletPasses.Storage;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>The retention policy (<see cref="RetentionOptions"/>) and the job that applies it.</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        services.AddPeriodicJob<RetentionSweepJob>();
        return services;
    }
}
