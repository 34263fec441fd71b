namespace WalletPasses.Delivery;

/// <summary>
/// What a new registration owes its device. Apple's device asks which passes changed only after a push ("Adding a Web
/// Service to Update Passes": install, register, then on each change a push, the list call and the fetch), so a device
/// that registers after a version was pushed to the devices registered then would keep the copy it installed until the
/// next change. Which copy that is cannot be known here: the download link names no device, the add sheet may stay open
/// for minutes, and a .pkpass can be mailed around. So a new registration of a pass changed since its issue is owed the
/// current version; a pass still at the version it was issued with has only that one copy, and owes nothing.
/// Pure: the announcement as read in, the announcement to write back (or null) out.
/// </summary>
public static class LateRegistrationRule
{
    /// <summary>The version a member's pass is issued with (its first <c>NewPassVersion</c>).</summary>
    public const long IssuedVersion = 1;

    /// <summary>Whether a device newly registered for a pass at <paramref name="currentVersion"/> may hold an older copy.</summary>
    public static bool Owes(long currentVersion) => currentVersion > IssuedVersion;

    /// <summary>
    /// <paramref name="announcement"/> (the member's current version) made pending for Apple again, with
    /// <paramref name="deviceLibraryIdentifier"/>'s push dropped from Apple's record: the delivery then pushes that
    /// device, and only it among those already pushed. Written even when Apple is already pending: a delivery under way
    /// may have read the registrations before this one, and must find the row changed rather than settle Apple without it;
    /// the device's reopening count goes up, so that delivery's merge (<see cref="LostSaveMerge"/>) keeps it owed.
    /// </summary>
    public static PassAnnouncementEntity Reopen(PassAnnouncementEntity announcement, string deviceLibraryIdentifier)
    {
        var records = announcement.Records();
        if (records.TryGetValue(ApplePushNotifier.PlatformName, out var record))
        {
            var pushes = DevicePushes.Parse(record);
            if (pushes.Forget(deviceLibraryIdentifier))
            {
                records[ApplePushNotifier.PlatformName] = pushes.ToRecord();
                announcement.SetRecords(records);
            }
        }

        var reopenings = announcement.Reopenings();
        reopenings[deviceLibraryIdentifier] = reopenings.GetValueOrDefault(deviceLibraryIdentifier) + 1;
        announcement.SetReopenings(reopenings);

        if (!announcement.PendingPlatforms.Contains(ApplePushNotifier.PlatformName, StringComparer.Ordinal))
        {
            announcement.Pending = string.Join(' ', announcement.PendingPlatforms.Append(ApplePushNotifier.PlatformName));
        }

        return announcement;
    }
}
