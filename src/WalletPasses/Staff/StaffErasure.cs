using WalletPasses.Barcodes;
using WalletPasses.Members;
using WalletPasses.Programs;

namespace WalletPasses.Staff;

/// <summary>What erasing a member means for the store side: stored redemption answers gone, the pass on staff devices' voided list.</summary>
public sealed class StaffErasure(RedemptionLedger redemptions, VoidedPasses voided, ProgramRegistry programs)
{
    /// <summary>Idempotent, so a retried erasure completes what a failed one left.</summary>
    public async Task EraseAsync(Member erased, CancellationToken cancellationToken)
    {
        await redemptions.EraseAsync(erased.MemberId, cancellationToken);
        await voided.RecordAsync(erased.Pass.SerialNumber, programs.ProgramOf(erased.MemberId), erased.Pass.UpdatedAt, cancellationToken);
    }
}
