namespace WalletPasses.Programs;

public static class ProgramsServiceCollectionExtensions
{
    /// <summary>The programs of the deployment (<see cref="ProgramRegistry"/>).</summary>
    public static IServiceCollection AddPrograms(this IServiceCollection services)
    {
        services.AddSingleton<ProgramRegistry>();
        return services;
    }
}
