namespace WalletPasses.Publishing;

/// <summary>What re-issuing one member did.</summary>
/// <param name="Reissued">A new pass version was made now (false: the member had one of this template version already, or was erased).</param>
/// <param name="DevicesPushed">Devices APNs accepted the push of the member's version for (counted from the announcement's record).</param>
/// <param name="Pending">A platform has not heard of the version yet; the outbox's retry job finishes it.</param>
/// <param name="GoogleAnnounced">The version was announced to Google (object-level fields change).</param>
public sealed record ReissueOutcome(bool Reissued, int DevicesPushed, bool Pending, bool GoogleAnnounced);
