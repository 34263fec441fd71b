namespace WalletPasses.Activity;

/// <summary>The <c>type</c> of every <c>pass-activity</c> message: the names consumers branch on, never to change.</summary>
public static class PassActivityTypes
{
    /// <summary>A device registered for updates of the pass (Apple), or a holder saved it (Google): it was added to a wallet.</summary>
    public const string Installed = "pass.installed";

    /// <summary>A device unregistered (the pass was removed or its automatic updates turned off), or a holder deleted the Google pass.</summary>
    public const string Removed = "pass.removed";

    /// <summary>Staff scanned a barcode, valid or not (<see cref="PassScanned"/>).</summary>
    public const string Scanned = "pass.scanned";

    /// <summary>Staff redeemed a perk (<see cref="PerkRedeemed"/>).</summary>
    public const string PerkRedeemed = "perk.redeemed";

    /// <summary>Staff asked the ledger to redeem points (<see cref="PointsRedemptionRequested"/>).</summary>
    public const string PointsRedemptionRequested = "points.redemption.requested";
}
