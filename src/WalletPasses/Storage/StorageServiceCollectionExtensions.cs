namespace WalletPasses.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The Table, Blob and Queue clients, and the retention policy with its job.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<StorageClients>();
        services.AddSingleton<ResumableSweep>();
        services.AddRetention(configuration);
        return services;
    }
}
