namespace WalletPasses.Programs;

/// <summary>
/// A program of this deployment: its template lives below <c>templates/{Id}/</c> and <c>published/{Id}/</c>, its pass
/// certificate is the configured one whose pass type identifier its template names, its Google class is
/// <c>{issuerId}.{Id}</c>. The deployment's configured program (<c>WalletPasses:ProgramId</c>) always exists.
/// </summary>
/// <param name="RetiredAt">When the operator retired it (see <see cref="ProgramRegistry.RetireAsync"/>); null: live.</param>
/// <param name="QuietHoursStart">The program's quiet hours start (<c>HH:mm</c>); null: the deployment's <c>WalletPasses:Notifications</c>.</param>
public sealed record LoyaltyProgram(string Id, bool IsDefault, string? QuietHoursStart = null, string? QuietHoursEnd = null, DateTimeOffset? RetiredAt = null)
{
    public bool IsRetired => RetiredAt is not null;
}
