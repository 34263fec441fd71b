namespace WalletPasses.Delivery;

/// <summary>
/// Device counts of a census (one member's, or a sum of members'). <see cref="Registered"/> are the devices registered
/// for the member's current pass; each is exactly one of <see cref="Current"/>, <see cref="PushedNotFetched"/>,
/// <see cref="PushFailed"/>, <see cref="NotYetPushed"/> or <see cref="Gone"/>. <see cref="Unregistered"/> counts the
/// devices APNs called gone for the version whose registration is already removed (they hold nothing any more, so
/// they are outside <see cref="Registered"/> and the share).
/// </summary>
public sealed record DeviceCensusCounts(
    long Members, long Registered, long Current, long PushedNotFetched, long PushFailed, long NotYetPushed, long Gone, long Unregistered)
{
    public static readonly DeviceCensusCounts None = new(0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Share of registered devices that hold the latest version; null without registered devices.</summary>
    public double? CurrentShare => Registered == 0 ? null : (double)Current / Registered;

    public DeviceCensusCounts Add(DeviceCensusCounts other) => new(
        Members + other.Members,
        Registered + other.Registered,
        Current + other.Current,
        PushedNotFetched + other.PushedNotFetched,
        PushFailed + other.PushFailed,
        NotYetPushed + other.NotYetPushed,
        Gone + other.Gone,
        Unregistered + other.Unregistered);
}
