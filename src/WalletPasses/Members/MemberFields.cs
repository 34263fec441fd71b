namespace WalletPasses.Members;

/// <summary>The member fields whose last writer is tracked by sequence (<see cref="EventState.FieldSequences"/>), events and sequenced PUTs alike.</summary>
public static class MemberFields
{
    public const string Points = "points";
    public const string Tier = "tier";
    public const string DisplayName = "displayName";
    public const string ReferralUrl = "referralUrl";
    public const string Language = "language";
    public const string Notifications = "notifications";
    public const string TimeZone = "timeZone";
}
