using WalletPasses.Programs;
using WalletPasses.Templates;

namespace WalletPasses.Events;

/// <summary>The program of a loyalty event (<c>programId</c>, absent: the default program) and its template, from memory.</summary>
public sealed class LoyaltyEventPrograms(ProgramRegistry programs, ProgramTemplates templates)
{
    /// <summary>
    /// The event's program and its template; or the reason the event cannot apply (a program this deployment does not
    /// have, a retired one, or one with no published template yet), which rejects the event rather than failing it.
    /// </summary>
    /// <param name="allowed">The programs the sender may act for (a limited backend key; null: any); another one is refused as unknown.</param>
    /// <returns>Retired: the error is the program's retirement.</returns>
    public async ValueTask<(string ProgramId, ProgramTemplate? Template, string? Error, bool Retired)> ResolveAsync(string? programId, Func<string, bool>? allowed, CancellationToken cancellationToken)
    {
        var id = programId ?? programs.DefaultProgramId;
        if (allowed?.Invoke(id) == false || !await programs.IsKnownAsync(id, cancellationToken))
        {
            return (id, null, $"programId: this deployment has no program '{Shorten(id)}'.", false);
        }

        if ((await programs.FindAsync(id, cancellationToken))?.IsRetired == true)
        {
            return (id, null, $"programId: program '{id}' is retired; its events are refused.", true);
        }

        try
        {
            return (id, (await templates.For(id).GetCurrentAsync(cancellationToken)).Template, null, false);
        }
        catch (InvalidTemplateException)
        {
            return (id, null, $"programId: program '{id}' has no published template yet.", false);
        }
    }

    /// <summary>The event with its member id as stored in its program (see <see cref="ProgramMembers"/>).</summary>
    public LoyaltyEvent InProgram(LoyaltyEvent loyaltyEvent, string programId) =>
        loyaltyEvent with { MemberId = programs.StorageId(programId, loyaltyEvent.MemberId) };

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
