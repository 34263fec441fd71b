using WalletPasses.Barcodes;
using System.Security.Claims;
using WalletPasses.Members;
using WalletPasses.Programs;
using WalletPasses.Templates;

namespace WalletPasses.Staff;

/// <summary>
/// Verifies a barcode token offline (or looks a typed short code's token up), then looks its pass and member up
/// (two point reads). Only the barcode the pass shows now is valid: an older one of the same pass is
/// <see cref="ScanReasons.Outdated"/> (see <see cref="PassBarcodes"/> for when a pass gets a new one).
/// </summary>
public sealed class PassChecker(BarcodeTokens barcodes, PassBarcodes passBarcodes, MemberStore members, StaffKeyStore keys, ProgramRegistry programs, ProgramTemplates templates)
{
    /// <summary>
    /// The check for the staff key <paramref name="staff"/>: a pass of a program the key is not limited to is answered
    /// as a pass that does not exist (the key cannot tell it from one), and so is a pass of a retired program (its
    /// template no longer loads: certificate or template removed), as the PassKit web service answers its devices.
    /// </summary>
    public async Task<PassCheckResult> CheckAsync(string barcode, ClaimsPrincipal staff, CancellationToken cancellationToken)
    {
        var check = await CheckAsync(barcode, cancellationToken);
        return check.Member is { } member
            && ((await keys.ProgramsOfAsync(staff.Identity?.Name ?? "", cancellationToken) is { } allowed && !allowed.Contains(programs.ProgramOf(member.MemberId)))
                || await programs.IsRetiredMemberAsync(member.MemberId, cancellationToken)
                || await templates.ForMember(member.MemberId).FindCurrentAsync(cancellationToken) is null)
                ? new PassCheckResult(ScanReasons.Unknown, check.SerialNumber, null)
                : check;
    }

    /// <summary>
    /// <paramref name="check"/>'s verdict on the barcode with its member read again (the balance as it is now); voided
    /// when the pass was voided or the member erased since. The barcode is not judged again: a change that gave the
    /// pass a new barcode meanwhile does not make the copy just scanned an outdated one.
    /// </summary>
    public async Task<PassCheckResult> WithCurrentMemberAsync(PassCheckResult check, CancellationToken cancellationToken)
    {
        if (check.Member is not { } earlier)
        {
            return check;
        }

        var member = await members.GetAsync(earlier.MemberId, cancellationToken);
        if (member is null)
        {
            return new PassCheckResult(ScanReasons.Unknown, check.SerialNumber, null);
        }

        return member.Pass.SerialNumber != check.SerialNumber || member.Pass.Voided || member.Deleted
            ? new PassCheckResult(ScanReasons.Voided, check.SerialNumber, member)
            : check with { Member = member };
    }

    public async Task<PassCheckResult> CheckAsync(string barcode, CancellationToken cancellationToken)
    {
        var text = barcode.Trim();
        if (!BarcodeTokens.IsToken(text) && ShortCodes.Normalize(text) is not null)
        {
            var found = await passBarcodes.TokenOfShortCodeAsync(text, cancellationToken);
            if (found is null)
            {
                return new PassCheckResult(ScanReasons.Unknown, null, null);
            }

            text = found;
        }

        var token = barcodes.Verify(text);
        if (!token.IsValid)
        {
            return new PassCheckResult(token.FailureReason, null, null);
        }

        var serial = token.SerialNumber!;
        var pass = await members.GetPassAsync(serial, cancellationToken);
        var member = pass is null ? null : await members.GetAsync(pass.MemberId, cancellationToken);
        if (member is null)
        {
            return new PassCheckResult(ScanReasons.Unknown, serial, null);
        }

        // Erasure voids the pass; a member erased and enrolled again has a new serial, so the old one is void too.
        if (member.Pass.SerialNumber != serial || member.Pass.Voided || member.Deleted)
        {
            return new PassCheckResult(ScanReasons.Voided, serial, member);
        }

        if (text == member.Pass.BarcodeMessage)
        {
            return new PassCheckResult(null, serial, member);
        }

        // Same pass, another barcode: an older one is a copy from before the pass changed; a newer one was
        // issued for a version whose write failed, so the pass never showed it.
        return barcodes.Verify(member.Pass.BarcodeMessage).IssuedAt is { } current && token.IssuedAt < current
            ? new PassCheckResult(ScanReasons.Outdated, serial, member)
            : new PassCheckResult(ScanReasons.Unknown, serial, member);
    }
}
