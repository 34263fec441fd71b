namespace WalletPasses.Delivery;

/// <param name="PendingMembers">Members whose latest pass version some platform has not received yet (of the sample).</param>
/// <param name="MoreNotCounted">True when the retry index holds more members than the sample looked at.</param>
/// <param name="OldestPendingSince">When the oldest of those versions was announced; null when nothing is pending.</param>
/// <param name="PendingPlatforms">Which platforms those versions wait for (<c>apple</c>, <c>google</c>).</param>
public sealed record AnnouncementBacklogHealth(int PendingMembers, bool MoreNotCounted, DateTimeOffset? OldestPendingSince, IReadOnlyList<string> PendingPlatforms);
