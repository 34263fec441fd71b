namespace WalletPasses.Delivery;

/// <summary>
/// The device states of the delivery API and the re-push check, a pure function of the announcement's pushes and the
/// trace: <c>gone</c> (APNs said so; the registration is removed), <c>push-failed</c> (the last push failed; it is
/// retried), <c>current</c> (not pushed for this version because it registered with it, or it asked what changed
/// after the push and the pass was fetched at this version after that), else <c>pushed-not-fetched</c>. Apple's fetch
/// request does not name the device, so a fetch counts for the device whose "what changed" call came before it.
/// </summary>
public static class DeviceDeliveryStates
{
    public const string Current = "current";
    public const string PushedNotFetched = "pushed-not-fetched";

    /// <param name="registered">Devices registered for the member's current pass now.</param>
    /// <param name="pushes">The announcement's Apple record: each device's push for this version.</param>
    /// <param name="trace">The member's trace rows since the version was announced.</param>
    public static IReadOnlyList<DeviceDelivery> Of(IEnumerable<string> registered, DevicePushes pushes, long version, IReadOnlyCollection<DeliveryTraceEntity> trace)
    {
        var fetches = trace.Where(r => r.Kind == DeliveryTraceKinds.Fetch && r.Version == version && r.Status is 200 or 304).Select(r => r.At).ToArray();
        return registered.Union(pushes.Devices.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(device =>
        {
            var push = pushes.Of(device);
            var listedAt = trace.Where(r => r.Kind == DeliveryTraceKinds.List && r.Device == device && (push is null || r.At >= push.At)).Select(r => (DateTimeOffset?)r.At).Max();
            var fetchedAt = listedAt is { } listed ? fetches.Where(at => at >= listed).Select(at => (DateTimeOffset?)at).Min() : null;
            var state = push?.State switch
            {
                DevicePushStates.Gone => DevicePushStates.Gone,
                DevicePushStates.Failed => DevicePushStates.Failed,
                null => Current,
                _ => fetchedAt is null ? PushedNotFetched : Current,
            };
            return new DeviceDelivery(device, state, push, listedAt, fetchedAt);
        }).ToList();
    }
}
