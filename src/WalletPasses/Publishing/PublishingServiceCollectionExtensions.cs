using WalletPasses.Jobs;
using WalletPasses.Popups;

namespace WalletPasses.Publishing;

public static class PublishingServiceCollectionExtensions
{
    /// <summary>Template drafts, the dry run, publishing, and the bulk re-issue job.</summary>
    public static IServiceCollection AddPublishing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PublishingOptions>().Bind(configuration.GetSection(PublishingOptions.Section))
            .Validate(o => o.MaxZipBytes is > 0 and <= int.MaxValue && o.MaxUncompressedBytes > 0 && o.MaxZipEntries > 0,
                $"{PublishingOptions.Section}: MaxZipBytes (at most 2 GB), MaxUncompressedBytes and MaxZipEntries must be positive.")
            .Validate(o => o.MembersPerSecond > 0 && o.ChunkSize is >= 1 and <= 1000 && o.Concurrency is >= 1 and <= 64,
                $"{PublishingOptions.Section}: MembersPerSecond must be positive, ChunkSize between 1 and 1000, Concurrency between 1 and 64.")
            .Validate(o => o.ImpactSampleSize is >= 1 and <= 100_000, $"{PublishingOptions.Section}:ImpactSampleSize must be between 1 and 100000.")
            .Validate(o => o.RunBudget > TimeSpan.Zero && o.Lease > o.RunBudget,
                $"{PublishingOptions.Section}: RunBudget must be positive and Lease longer than RunBudget (a run must checkpoint before its lease ends).")
            .ValidateOnStart();
        services.AddSingleton<Publications>();
        services.AddSingleton<TemplatePublisher>();
        services.AddSingleton<ImpactAnalysis>();
        services.AddSingleton<MemberReissue>();
        services.AddSingleton<IPopupReissue, PopupPublications>();
        services.AddPeriodicJob<BulkReissueJob>();
        return services;
    }
}
