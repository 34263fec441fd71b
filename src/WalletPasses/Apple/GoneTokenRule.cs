namespace WalletPasses.Apple;

/// <summary>Whether APNs's "device gone" answer for a push token ends a device's registration.</summary>
public static class GoneTokenRule
{
    /// <summary>
    /// Only while the registration still has <paramref name="pushToken"/> (a device that registered a new token meanwhile
    /// stays), and, when APNs dated the loss (a 410's <c>timestamp</c>), only if the device has not registered since:
    /// "Stop pushing notifications until the device registers a token with a later timestamp with your provider"
    /// (Apple, "Handling notification responses from APNs",
    /// https://developer.apple.com/documentation/usernotifications/handling-notification-responses-from-apns). An undated
    /// answer (400 BadDeviceToken, a malformed token) always removes it.
    /// </summary>
    public static bool Removes(DeviceRegistration registration, string pushToken, DateTimeOffset? invalidSince)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return registration.PushToken == pushToken
            && (invalidSince is null || ToMilliseconds(registration.LastRegisteredAt ?? registration.RegisteredAt) <= invalidSince);
    }

    // APNs's timestamp counts whole milliseconds: a registration within its millisecond is not later.
    private static DateTimeOffset ToMilliseconds(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds()).ToOffset(at.Offset);
}
