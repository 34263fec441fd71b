using WalletPasses.Notifications;

namespace WalletPasses.Members;

/// <summary>A member, their current offers and the identity of their pass, as stored.</summary>
public sealed record Member(string MemberId, MemberProfile Profile, MemberPass Pass, IReadOnlyList<MemberOffer> Offers, bool Deleted)
{
    /// <summary>The member's notification preference and time zone (not pass content: changing them makes no version).</summary>
    public NotificationSettings Notifications { get; init; } = NotificationSettings.Default;

    /// <summary>
    /// The tier the latest deferred alert announced (a back field of the Apple pass, so Wallet alerts when it changes);
    /// cleared when the tier changes, so announcing the same tier again changes it.
    /// </summary>
    public string? Announcement { get; init; }
}
