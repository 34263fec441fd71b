namespace WalletPasses.Delivery;

/// <summary>
/// A delivery attempt whose save found the announcement changed by another writer of the same version (a device
/// registering late, <see cref="LateRegistrationRule"/>; the re-push; another attempt). Dropping the attempt would push
/// its devices again; overwriting the row would drop what the other writer did, and a device a registration reopened
/// and left out is an update lost (Apple, "Adding a Web Service to Update Passes": a device asks for changes only after
/// a push). So the attempt's outcomes are merged into the row as it is now: a device the attempt pushed counts as pushed
/// unless a registration reopened it meanwhile (then it stays owed, even if the attempt reached it: pushed twice only
/// refetches), or another writer recorded it as reached; a platform the attempt settled leaves the pending list, except
/// Apple while a device reopened meanwhile waits; failed attempts add up.
/// Pure: the row as the attempt read it, as the attempt would have saved it, and as it is now in; the row to save under
/// the current ETag out, or null when there is nothing to merge into (a newer version took over, or the row was settled).
/// </summary>
public static class LostSaveMerge
{
    public static PassAnnouncementEntity? Merge(PassAnnouncementEntity read, PassAnnouncementEntity attempted, IReadOnlyCollection<string> settled, PassAnnouncementEntity current)
    {
        if (current.Version != read.Version || current.IsCleared)
        {
            return null;
        }

        var merged = current.Copy();
        var reopened = ReopenedSince(read, current);
        var readRecords = read.Records();
        var currentRecords = current.Records();
        foreach (var (platform, record) in attempted.Records())
        {
            var before = readRecords.GetValueOrDefault(platform);
            if (record == before)
            {
                continue; // the attempt left this platform's record as it was
            }

            var now = currentRecords.GetValueOrDefault(platform);
            if (platform == ApplePushNotifier.PlatformName)
            {
                currentRecords[platform] = MergePushes(before, record, now, reopened);
            }
            else if (now == before)
            {
                currentRecords[platform] = record; // otherwise another writer's record of the same platform wins
            }
        }

        merged.SetRecords(currentRecords);

        // A platform the attempt left pending stays as the row has it now: another writer may have settled it since.
        var pending = current.PendingPlatforms.Where(p => !settled.Contains(p) || (p == ApplePushNotifier.PlatformName && reopened.Count > 0));
        merged.Pending = string.Join(' ', pending);
        merged.FailedAttempts = current.FailedAttempts + Math.Max(0, attempted.FailedAttempts - read.FailedAttempts);
        return merged;
    }

    /// <summary>The devices a registration reopened the version for after <paramref name="read"/> was read.</summary>
    public static IReadOnlySet<string> ReopenedSince(PassAnnouncementEntity read, PassAnnouncementEntity current)
    {
        var before = read.Reopenings();
        return current.Reopenings().Where(r => r.Value > before.GetValueOrDefault(r.Key)).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
    }

    private static string MergePushes(string? before, string attempted, string? now, IReadOnlySet<string> reopened)
    {
        var read = DevicePushes.Parse(before);
        var current = DevicePushes.Parse(now);
        foreach (var (device, push) in DevicePushes.Parse(attempted).Devices)
        {
            if (push == read.Of(device) || reopened.Contains(device))
            {
                continue; // not pushed by the attempt, or owed again since: the registration's reopening stands
            }

            if (current.Of(device) == read.Of(device) || !current.Delivered(device))
            {
                current.Put(device, push);
            }
        }

        return current.ToRecord();
    }
}
