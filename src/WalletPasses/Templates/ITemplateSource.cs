namespace WalletPasses.Templates;

public interface ITemplateSource
{
    /// <summary>The current template; checks Blob Storage for a change at most once per refresh interval.</summary>
    ValueTask<LoadedTemplate> GetCurrentAsync(CancellationToken cancellationToken);

    /// <summary>The current template, looking again at once when the loaded one is older than published version <paramref name="number"/>.</summary>
    ValueTask<LoadedTemplate> GetAtLeastAsync(long number, CancellationToken cancellationToken) => GetCurrentAsync(cancellationToken);

    /// <summary>
    /// The current template as Blob Storage has it now, whatever the refresh interval: before a write that would put an
    /// older look back over one another instance already wrote.
    /// </summary>
    ValueTask<LoadedTemplate> GetLatestAsync(CancellationToken cancellationToken) => GetCurrentAsync(cancellationToken);

    /// <summary>
    /// The current template, or null when there is none that loads (a program not published yet, or retired: its
    /// template or its pass type's certificate removed), for callers that answer such a program's passes as unknown.
    /// </summary>
    async ValueTask<LoadedTemplate?> FindCurrentAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await GetCurrentAsync(cancellationToken);
        }
        catch (InvalidTemplateException)
        {
            return null;
        }
    }
}
