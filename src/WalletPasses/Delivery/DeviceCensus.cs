namespace WalletPasses.Delivery;

/// <summary>
/// The census rule for one member, a pure function of the member's pass, its registrations, its announcement and its
/// trace since the announcement. It agrees with the delivery report's states (<see cref="DeviceDeliveryStates"/>) but
/// for one case the report calls <c>current</c>: a device registered before the version was announced that has no
/// push for it yet (the push is still pending) does not hold the version, so it counts as
/// <see cref="DeviceCensusCounts.NotYetPushed"/>. A device registered after the announcement installed the pass at
/// this version.
/// </summary>
public static class DeviceCensus
{
    /// <param name="serialNumber">The member's current pass: registrations of an older serial number are stale and not counted.</param>
    /// <param name="applePushes">The announcement's Apple record, or null without an announcement (every device is then current).</param>
    public static DeviceCensusCounts OfMember(
        string serialNumber, long version, IReadOnlyCollection<CensusRegistration> registrations, DateTimeOffset? announcedAt, string? applePushes, IReadOnlyCollection<DeliveryTraceEntity> trace)
    {
        var registered = registrations.Where(r => r.SerialNumber == serialNumber).ToDictionary(r => r.DeviceLibraryIdentifier, StringComparer.Ordinal);
        var states = DeviceDeliveryStates.Of(registered.Keys, DevicePushes.Parse(applePushes), version, trace);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var unregistered = 0L;
        foreach (var device in states)
        {
            if (!registered.TryGetValue(device.DeviceLibraryIdentifier, out var registration))
            {
                unregistered += device.State == DevicePushStates.Gone ? 1 : 0;
                continue;
            }

            var state = device is { State: DeviceDeliveryStates.Current, Push: null } && registration.RegisteredAt < announcedAt ? NotYetPushed : device.State;
            counts[state] = counts.GetValueOrDefault(state) + 1;
        }

        return new DeviceCensusCounts(
            1,
            registered.Count,
            counts.GetValueOrDefault(DeviceDeliveryStates.Current),
            counts.GetValueOrDefault(DeviceDeliveryStates.PushedNotFetched),
            counts.GetValueOrDefault(DevicePushStates.Failed),
            counts.GetValueOrDefault(NotYetPushed),
            counts.GetValueOrDefault(DevicePushStates.Gone),
            unregistered);
    }

    /// <summary>
    /// Whether the member's trace decides anything: only a device APNs accepted a push for can be current or
    /// pushed-not-fetched by its calls. Members without one cost no trace query.
    /// </summary>
    public static bool NeedsTrace(string serialNumber, IReadOnlyCollection<CensusRegistration> registrations, string? applePushes)
    {
        var pushes = DevicePushes.Parse(applePushes);
        return registrations.Any(r => r.SerialNumber == serialNumber && pushes.Of(r.DeviceLibraryIdentifier)?.State == DevicePushStates.Pushed);
    }

    private const string NotYetPushed = "not-yet-pushed";
}
