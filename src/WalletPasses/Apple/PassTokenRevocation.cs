using WalletPasses.Members;

namespace WalletPasses.Apple;

/// <summary>An operator's revocation of one pass's authenticationToken (see <see cref="ApplePassApi.RevokeAuthenticationToken"/>).</summary>
public sealed class PassTokenRevocation(MemberStore members, DeviceRegistrations registrations)
{
    /// <summary>
    /// A new token and a new barcode for the member's pass (<see cref="MemberStore.RevokePassAsync"/>), then the devices
    /// registered with the old token are dropped.
    /// </summary>
    /// <returns>False for an unknown or erased member.</returns>
    public async Task<bool> RevokeAsync(string memberId, CancellationToken cancellationToken)
    {
        if (await members.RevokePassAsync(memberId, cancellationToken) is not { } member)
        {
            return false;
        }

        // Whoever registered with the old token is pushed no more.
        foreach (var registration in (await registrations.ForMemberAsync(memberId, cancellationToken)).Where(r => r.SerialNumber == member.Pass.SerialNumber))
        {
            await registrations.RemoveAsync(memberId, registration.DeviceLibraryIdentifier, registration.SerialNumber, cancellationToken);
        }

        return true;
    }
}
