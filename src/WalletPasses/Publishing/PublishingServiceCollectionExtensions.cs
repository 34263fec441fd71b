using Microsoft.Extensions.Options;
using WalletPasses.Jobs;
using WalletPasses.Popups;

namespace WalletPasses.Publishing;

public static class PublishingServiceCollectionExtensions
{
    /// <summary>Template drafts, the dry run, publishing, and the bulk re-issue job.</summary>
    public static IServiceCollection AddPublishing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PublishingOptions>().Bind(configuration.GetSection(PublishingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PublishingOptions>, PublishingOptionsValidator>();
        services.AddSingleton<Publications>();
        services.AddSingleton<TemplatePublisher>();
        services.AddSingleton<ImpactAnalysis>();
        services.AddSingleton<MemberReissue>();
        services.AddSingleton<IPopupReissue, PopupPublications>();
        services.AddPeriodicJob<BulkReissueJob>();
        return services;
    }
}
