namespace WalletPasses.Templates;

public static class TemplatesServiceCollectionExtensions
{
    /// <summary>The program template from Blob Storage (refreshed, checked by every <see cref="ITemplateRule"/>) and its image URLs.</summary>
    public static IServiceCollection AddTemplates(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PublishedTemplates>();
        services.AddSingleton<TemplateDrafts>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<BlobTemplateStore>(sp, sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<WalletPassesOptions>>().Value.ProgramId));
        services.AddSingleton<ProgramTemplates>();
        services.AddSingleton<ITemplateSource>(sp => sp.GetRequiredService<BlobTemplateStore>());
        services.AddSingleton<TemplateImageUrls>();
        services.AddSingleton<ITemplateDraftSource, BlobTemplateDraftSource>();
        return services;
    }
}
