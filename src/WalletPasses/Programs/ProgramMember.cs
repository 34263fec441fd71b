namespace WalletPasses.Programs;

/// <summary>
/// A stored member as the program's backend knows it: its program and its member id (the stored key without the
/// program, see <see cref="ProgramMembers"/>). What messages to the backend carry, so the same member id in two
/// programs is never mistaken for one member.
/// </summary>
public sealed record ProgramMember(string ProgramId, string MemberId)
{
    public static ProgramMember Of(string storageId, string defaultProgramId) =>
        new(ProgramMembers.ProgramOf(storageId, defaultProgramId), ProgramMembers.MemberIdOf(storageId));
}
