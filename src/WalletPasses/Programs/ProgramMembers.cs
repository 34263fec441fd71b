namespace WalletPasses.Programs;

/// <summary>
/// Where a program's members are stored. The default program keeps the keys it always had (the member id itself),
/// so data stored before there were many programs stays readable without migration; any other program's members are
/// stored under <c>{programId}|{memberId}</c>. Member ids never contain '|' (see <c>MemberValidation</c>) and program
/// ids are letters, digits, '-' and '_', so no two programs' keys can meet, and a member id alone never reaches
/// another program's member. Pure functions: resolving a member's program costs no storage request.
/// </summary>
public static class ProgramMembers
{
    public const char Separator = '|';

    /// <summary>The storage key of <paramref name="memberId"/> in <paramref name="programId"/>.</summary>
    public static string StorageId(string programId, string memberId, string defaultProgramId) =>
        programId == defaultProgramId ? memberId : programId + Separator + memberId;

    /// <summary>The program of a stored member key.</summary>
    public static string ProgramOf(string storageId, string defaultProgramId)
    {
        var separator = storageId.IndexOf(Separator, StringComparison.Ordinal);
        return separator < 0 ? defaultProgramId : storageId[..separator];
    }

    /// <summary>The member id the program's backend knows (the stored key without its program).</summary>
    public static string MemberIdOf(string storageId)
    {
        var separator = storageId.IndexOf(Separator, StringComparison.Ordinal);
        return separator < 0 ? storageId : storageId[(separator + 1)..];
    }
}
