using WalletPasses.Delivery;
using WalletPasses.Storage;

namespace WalletPasses.Health;

public static class HealthServiceCollectionExtensions
{
    /// <summary>What <c>GET /api/health</c> reads besides the capabilities' own state (storage probe, delivery backlog).</summary>
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddSingleton<StorageProbe>();
        services.AddSingleton<AnnouncementBacklog>();
        return services;
    }
}
