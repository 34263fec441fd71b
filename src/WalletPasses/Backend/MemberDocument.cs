using WalletPasses.Apple;
using WalletPasses.Google;
using WalletPasses.Members;
using WalletPasses.Programs;

namespace WalletPasses.Backend;

/// <summary>The member document of the public contract.</summary>
public sealed record MemberDocument(
    string MemberId,
    string DisplayName,
    long Points,
    string Tier,
    string? ReferralUrl,
    string? Language,
    AppleDocument Apple,
    GoogleDocument? Google,
    string Notifications,
    string? TimeZone)
{
    /// <summary>The document of a member; <c>google</c> only when Google Wallet is configured.</summary>
    public static MemberDocument From(Member member, PassLinks links, GoogleWalletFeature google) => new(
        ProgramMembers.MemberIdOf(member.MemberId),
        member.Profile.DisplayName,
        member.Profile.Points,
        member.Profile.Tier,
        member.Profile.ReferralUrl,
        member.Profile.Language,
        new AppleDocument(member.Pass.SerialNumber, links.Create(PassLinkKind.ApplePass, member.Pass).AbsoluteUri),
        google.Enabled
            ? new GoogleDocument(google.ObjectIdFor(member.Pass.SerialNumber), links.Create(PassLinkKind.GoogleSave, member.Pass).AbsoluteUri)
            : null,
        member.Notifications.Preference,
        member.Notifications.TimeZone);
}

public sealed record AppleDocument(string SerialNumber, string PassUrl);

public sealed record GoogleDocument(string ObjectId, string SaveUrl);
