using WalletPasses.Apple;

namespace WalletPasses.Members;

/// <summary>The member document of the public contract.</summary>
public sealed record MemberDocument(
    string MemberId,
    string DisplayName,
    long Points,
    string Tier,
    string? ReferralUrl,
    string? Language,
    AppleDocument Apple,
    GoogleDocument? Google)
{
    public static MemberDocument From(Member member, PassLinks links) => new(
        member.MemberId,
        member.Profile.DisplayName,
        member.Profile.Points,
        member.Profile.Tier,
        member.Profile.ReferralUrl,
        member.Profile.Language,
        new AppleDocument(member.Pass.SerialNumber, links.Create(member.Pass.SerialNumber).AbsoluteUri),
        null);
}

public sealed record AppleDocument(string SerialNumber, string PassUrl);

public sealed record GoogleDocument(string ObjectId, string SaveUrl);
