namespace WalletPasses.Jobs;

public static class PeriodicJobServiceCollectionExtensions
{
    /// <summary>Registers a job (as itself, for a timer function to resolve, and as <see cref="IPeriodicJob"/> for the standalone runner).</summary>
    public static IServiceCollection AddPeriodicJob<TJob>(this IServiceCollection services)
        where TJob : class, IPeriodicJob
    {
        services.AddSingleton<TJob>();
        services.AddSingleton<IPeriodicJob>(provider => provider.GetRequiredService<TJob>());
        return services;
    }
}
