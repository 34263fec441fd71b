using WalletPasses.Jobs;

namespace WalletPasses.Storage;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>The retention policy (<see cref="RetentionOptions"/>) and the job that applies it.</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section))
            .Validate(o => o.AppliedEvents > RetentionOptions.QueueMessageTimeToLive,
                $"{RetentionOptions.Section}:AppliedEvents must be longer than the queue message time-to-live ({RetentionOptions.QueueMessageTimeToLive.TotalDays} days), or a redelivered event could apply twice.")
            .Validate(o => o.Scans > TimeSpan.Zero && o.DeliveryTrace > TimeSpan.Zero && o.MaxDeletesPerRun > 0,
                $"{RetentionOptions.Section}: Scans, DeliveryTrace and MaxDeletesPerRun must be positive.")
            .ValidateOnStart();
        services.AddPeriodicJob<RetentionSweepJob>();
        return services;
    }
}
