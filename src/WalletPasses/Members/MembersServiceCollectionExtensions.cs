namespace WalletPasses.Members;

public static class MembersServiceCollectionExtensions
{
    /// <summary>Members and their pass identity: the member store and the pass issuer.</summary>
    public static IServiceCollection AddMembers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PassIssuer>();
        services.AddSingleton<MemberStore>();
        services.AddSingleton<DeferredAlerts>();
        services.AddSingleton<OfferExpiries>();
        services.AddSingleton<PassVersionAlerts>();
        return services;
    }
}
