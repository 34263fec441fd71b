using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WalletPasses.Programs;

namespace WalletPasses.Templates;

/// <summary>
/// Each program's template source: the deployment's configured program is the <see cref="ITemplateSource"/> every
/// single-program caller already uses; any other program gets its own <see cref="BlobTemplateStore"/> (cached in
/// memory and refreshed like the default one), made on first use. Callers pass only programs the registry knows.
/// </summary>
public sealed class ProgramTemplates(IServiceProvider services, BlobTemplateStore defaultProgram, IOptions<WalletPassesOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<BlobTemplateStore>> _others = new(StringComparer.Ordinal);

    public ITemplateSource For(string programId) =>
        programId == options.Value.ProgramId
            ? defaultProgram
            : _others.GetOrAdd(programId, id => new Lazy<BlobTemplateStore>(() => ActivatorUtilities.CreateInstance<BlobTemplateStore>(services, id))).Value;

    /// <summary>The template source of a stored member's program (<see cref="ProgramMembers"/>: no storage request).</summary>
    public ITemplateSource ForMember(string storageId) => For(ProgramMembers.ProgramOf(storageId, options.Value.ProgramId));

    public void Dispose()
    {
        foreach (var store in _others.Values.Where(store => store.IsValueCreated))
        {
            store.Value.Dispose();
        }
    }
}
