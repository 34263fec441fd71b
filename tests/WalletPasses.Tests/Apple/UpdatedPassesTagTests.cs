using WalletPasses.Apple;
using WalletPasses.Members;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// The lastUpdated / passesUpdatedSince tag of Apple's "Get the List of Updatable Passes"
/// (https://developer.apple.com/documentation/walletpasses/get-the-list-of-updatable-passes): an opaque string
/// the device echoes; here a cursor of pass versions.
/// </summary>
public sealed class UpdatedPassesTagTests
{
    private static readonly DateTimeOffset Second = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    private static MemberPass Pass(string serialNumber, long version) => new(serialNumber, "barcode", version, Second, Voided: false, Silent: false);

    [Fact]
    public void A_pass_is_listed_exactly_when_its_version_moved_whatever_the_clock_said()
    {
        var first = Pass("aaaaaaaaaaaa" + new string('0', 20), 3);
        var second = Pass("bbbbbbbbbbbb" + new string('0', 20), 7);
        var tag = UpdatedPassesTag.For([first, second]);

        Assert.Empty(UpdatedPassesTag.ChangedSince([first, second], tag));
        // Same second, same clock: only the version tells, and it does.
        Assert.Equal([second with { Version = 8 }], UpdatedPassesTag.ChangedSince([first, second with { Version = 8 }], tag));
    }

    [Fact]
    public void A_pass_the_tag_does_not_know_is_listed()
    {
        var first = Pass("aaaaaaaaaaaa" + new string('0', 20), 3);
        var added = Pass("cccccccccccc" + new string('0', 20), 1);

        Assert.Equal([added], UpdatedPassesTag.ChangedSince([first, added], UpdatedPassesTag.For([first])));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1764756000")] // the whole-seconds tag earlier versions of this service handed out
    [InlineData("yesterday")]
    [InlineData("v1.aaaaaaaaaaaa-x")]
    [InlineData("v1.short-3")]
    [InlineData("v2.aaaaaaaaaaaa-3")]
    public void A_missing_or_unreadable_tag_lists_every_pass(string? tag)
    {
        IReadOnlyList<MemberPass> current = [Pass("aaaaaaaaaaaa" + new string('0', 20), 3), Pass("bbbbbbbbbbbb" + new string('0', 20), 1)];

        Assert.Equal(current, UpdatedPassesTag.ChangedSince(current, tag));
    }

    [Fact]
    public void The_tag_is_safe_in_a_query_string()
    {
        var tag = UpdatedPassesTag.For([Pass("0123456789abcdef0123456789abcdef", 12), Pass("fedcba9876543210fedcba9876543210", 1)]);

        Assert.Equal(Uri.EscapeDataString(tag), tag);
    }
}
