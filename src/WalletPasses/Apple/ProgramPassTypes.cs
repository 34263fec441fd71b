using System.Collections.Concurrent;
using WalletPasses.Programs;
using WalletPasses.Templates;

namespace WalletPasses.Apple;

/// <summary>
/// Which pass types the PassKit web service answers for: each program's template names one (programs may share it).
/// Answered from the registry and the templates in memory, so a device call costs no extra storage request; a program
/// that has not published a template yet is looked at again only after <see cref="ProgramRegistry.RefreshInterval"/>.
/// </summary>
public sealed class ProgramPassTypes(ProgramRegistry programs, ProgramTemplates templates, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unpublishedUntil = new(StringComparer.Ordinal);

    /// <summary>Whether some program of the deployment issues passes of this type.</summary>
    public async ValueTask<bool> IsIssuedAsync(string passTypeIdentifier, CancellationToken cancellationToken)
    {
        foreach (var program in (await programs.AllAsync(cancellationToken)).Where(program => !program.IsRetired))
        {
            if (await OfProgramAsync(program.Id, cancellationToken) == passTypeIdentifier)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The pass type of a stored member's passes (its program's template); null when that template cannot be loaded (a
    /// retired program: retired through its route, or its certificate or template removed), so a device holding passes of several programs is still
    /// answered for the others, and the retired program's passes as unknown ones.
    /// </summary>
    public async ValueTask<string?> OfMemberAsync(string memberId, CancellationToken cancellationToken) =>
        await programs.IsRetiredMemberAsync(memberId, cancellationToken) ? null : (await templates.ForMember(memberId).FindCurrentAsync(cancellationToken))?.Template.PassTypeIdentifier;

    private async ValueTask<string?> OfProgramAsync(string programId, CancellationToken cancellationToken)
    {
        if (_unpublishedUntil.TryGetValue(programId, out var until) && time.GetUtcNow() < until)
        {
            return null;
        }

        try
        {
            return (await templates.For(programId).GetCurrentAsync(cancellationToken)).Template.PassTypeIdentifier;
        }
        catch (InvalidTemplateException)
        {
            _unpublishedUntil[programId] = time.GetUtcNow() + ProgramRegistry.RefreshInterval;
            return null;
        }
    }
}
