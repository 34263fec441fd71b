namespace WalletPasses.Hosting;

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

    /// <summary>The standalone host runs every registered job itself; the Functions host leaves them to its timer triggers.</summary>
    public static IServiceCollection AddStandaloneJobRunner(this IServiceCollection services) =>
        services.AddHostedService<StandaloneJobRunner>();
}
