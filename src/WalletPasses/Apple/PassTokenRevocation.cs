using Azure.Data.Tables;
using WalletPasses.Members;
using WalletPasses.Storage;

namespace WalletPasses.Apple;

/// <summary>An operator's revocation of one pass's authenticationToken (see <see cref="ApplePassApi.RevokeAuthenticationToken"/>).</summary>
public sealed class PassTokenRevocation(StorageClients storage, DeviceRegistrations registrations, TimeProvider time)
{
    private const int MaxAttempts = 8;

    /// <returns>False for an unknown or erased member.</returns>
    public async Task<bool> RevokeAsync(string memberId, CancellationToken cancellationToken)
    {
        MemberEntity? member = null;
        await ConflictRetry.RunAsync("Token revocation", MaxAttempts, async _ =>
        {
            member = await storage.Members.GetIfExistsAsync<MemberEntity>(memberId, MemberEntity.RowKeyValue, cancellationToken);
            if (member is null || member.Deleted)
            {
                return true;
            }

            member.AuthenticationToken = PassIssuer.NewAuthenticationToken();

            // The pass content (its token) changed: a new version, so no cache serves the old one. Silent: nothing
            // the customer sees changed, and the devices that held the pass can no longer fetch it anyway.
            member.NewPassVersion(time.GetUtcNow(), silent: true);
            return await ConflictRetry.TryWriteAsync(
                () => storage.Members.UpdateEntityAsync(member, member.ETag, TableUpdateMode.Replace, cancellationToken), StorageConflict.ETagMismatch);
        });
        if (member is null || member.Deleted)
        {
            return false;
        }

        // Whoever registered with the old token is pushed no more.
        foreach (var registration in (await registrations.ForMemberAsync(memberId, cancellationToken)).Where(r => r.SerialNumber == member.SerialNumber))
        {
            await registrations.RemoveAsync(memberId, registration.DeviceLibraryIdentifier, registration.SerialNumber, cancellationToken);
        }

        return true;
    }
}
