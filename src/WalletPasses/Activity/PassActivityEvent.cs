namespace WalletPasses.Activity;

/// <summary>
/// Something that happened to an issued pass, told to the loyalty backend as one camelCase JSON message
/// on the <c>pass-activity</c> queue. Identifiers only: never push tokens or authentication tokens.
/// <see cref="Id"/> lets consumers drop duplicates (queue delivery is at least once).
/// </summary>
public sealed record PassActivityEvent(
    string Type,
    string Platform,
    string MemberId,
    string SerialNumber,
    DateTimeOffset OccurredAt,
    string? DeviceLibraryIdentifier,
    string Id) : IPassActivity
{
    /// <summary>The member's program; <c>memberId</c> is the id that program's backend knows.</summary>
    public string? ProgramId { get; init; }
}
