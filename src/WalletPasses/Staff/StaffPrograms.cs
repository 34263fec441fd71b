using System.Security.Claims;
using WalletPasses.Programs;

namespace WalletPasses.Staff;

/// <summary>The programs a staff key works in: those it is limited to (<see cref="StaffKeyStore.ProgramsOfAsync"/>), else every program.</summary>
public static class StaffPrograms
{
    /// <summary>The default program first; from memory (the registry and the key store), no storage request.</summary>
    public static async Task<IReadOnlyList<string>> OfAsync(ClaimsPrincipal staff, StaffKeyStore keys, ProgramRegistry programs, CancellationToken cancellationToken)
    {
        var allowed = await keys.ProgramsOfAsync(staff.Identity?.Name ?? "", cancellationToken);
        return [.. (await programs.AllAsync(cancellationToken)).Select(program => program.Id).Where(id => allowed is null || allowed.Contains(id))];
    }
}
