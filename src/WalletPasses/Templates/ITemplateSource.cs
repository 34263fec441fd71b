namespace WalletPasses.Templates;

public interface ITemplateSource
{
    /// <summary>The current template; checks Blob Storage for a change at most once per refresh interval.</summary>
    ValueTask<LoadedTemplate> GetCurrentAsync(CancellationToken cancellationToken);
}
