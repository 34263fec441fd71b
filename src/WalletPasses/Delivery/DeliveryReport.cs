namespace WalletPasses.Delivery;

/// <summary>What <c>GET /api/members/{memberId}/delivery</c> answers.</summary>
public sealed record DeliveryReport(
    string MemberId,
    string SerialNumber,
    long Version,
    DateTimeOffset? AnnouncedAt,
    IReadOnlyList<string> Pending,
    IReadOnlyList<DeviceDeliveryDocument> Devices,
    IReadOnlyList<DeliveryEventDocument> Timeline);
