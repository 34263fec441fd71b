using Azure;
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
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var response = await storage.Members.GetEntityIfExistsAsync<MemberEntity>(memberId, MemberEntity.RowKeyValue, cancellationToken: cancellationToken);
            if (!response.HasValue || response.Value!.Deleted)
            {
                return false;
            }

            var member = response.Value;
            member.AuthenticationToken = PassIssuer.NewAuthenticationToken();

            // The pass content (its token) changed: a new version, so no cache serves the old one. Silent: nothing
            // the customer sees changed, and the devices that held the pass can no longer fetch it anyway.
            member.NewPassVersion(time.GetUtcNow(), silent: true);
            try
            {
                await storage.Members.UpdateEntityAsync(member, member.ETag, TableUpdateMode.Replace, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                continue; // changed meanwhile: read again
            }

            // Whoever registered with the old token is pushed no more.
            foreach (var registration in (await registrations.ForMemberAsync(memberId, cancellationToken)).Where(r => r.SerialNumber == member.SerialNumber))
            {
                await registrations.RemoveAsync(memberId, registration.DeviceLibraryIdentifier, registration.SerialNumber, cancellationToken);
            }

            return true;
        }

        throw new InvalidOperationException($"Token revocation lost {MaxAttempts} concurrency races in a row.");
    }
}
