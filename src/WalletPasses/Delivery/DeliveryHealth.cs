namespace WalletPasses.Delivery;

/// <param name="DevicesCurrentShare">
/// Share of registered devices holding their member's latest version at the last complete census; null before one
/// completes or without registered devices. Informational: health does not degrade on it (a device that is off or
/// out of coverage holds an old version for a while without anything being wrong).
/// </param>
/// <param name="DevicesChecked">Devices the re-push checks of this hour and the last looked at (pushed at least <see cref="DeliveryOptions.RepushAfter"/> before).</param>
/// <param name="DevicesRepushed">Of those, the ones pushed once more.</param>
public sealed record DeliveryHealth(double? DevicesCurrentShare, DeviceCensusHealth? Census, int DevicesChecked, int DevicesRepushed, DateTimeOffset? CheckedAt);
