using System.Text.Json.Nodes;
using WalletPasses.Tests.Conformance;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// The tests' Wallet stand-in (<see cref="PkPass"/>) refuses, as a device does, a correctly signed pass that Apple's
/// references say is not a pass: "Pass" (https://developer.apple.com/documentation/walletpasses/pass) for the required
/// keys, formatVersion 1 and the authenticationToken of 16 characters or more; "PassFieldContent" for keys unique in the
/// pass; the PassKit Package Format Reference, "Package Structure", for icon.png.
/// </summary>
public sealed class PkPassStandInTests
{
    [Fact]
    public void The_pass_the_app_makes_is_accepted()
    {
        var pass = new PkPass(PassPackages.Ours());

        Assert.Equal("storeCard", pass.PassJson.EnumerateObject().Single(p => p.Name == "storeCard").Name);
    }

    private static readonly Dictionary<string, Action<JsonObject>> Breaks = new()
    {
        ["no description"] = pass => pass.Remove("description"),
        ["no organizationName"] = pass => pass.Remove("organizationName"),
        ["formatVersion 2"] = pass => pass["formatVersion"] = 2,
        ["a 15-character authenticationToken"] = pass => pass["authenticationToken"] = "0123456789abcde",
        ["webServiceURL without authenticationToken"] = pass => pass.Remove("authenticationToken"),
        ["no pass style"] = pass => pass.Remove("storeCard"),
        ["two pass styles"] = pass => pass["generic"] = new JsonObject(),
        ["a key used by two fields"] = pass => pass["storeCard"]!["secondaryFields"]![0]!["key"] = "points",
        ["a field without a key"] = pass => pass["storeCard"]!["secondaryFields"]!.AsArray()[0]!.AsObject().Remove("key"),
    };

    public static TheoryData<string> BrokenPassJson => new(Breaks.Keys);

    [Theory]
    [MemberData(nameof(BrokenPassJson))]
    public void A_signed_pass_whose_pass_json_breaks_Apples_rules_is_refused(string broken)
    {
        var pkpass = PassPackages.SignAndZip(PassPackages.Files(PassPackages.Ours()).WithPassJson(Breaks[broken]));

        var error = Assert.Throws<InvalidDataException>(() => new PkPass(pkpass));
        Assert.StartsWith("Invalid pass", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signed_pass_without_its_icon_is_refused()
    {
        var files = PassPackages.Files(PassPackages.Ours());
        files.Remove("icon.png");

        var error = Assert.Throws<InvalidDataException>(() => new PkPass(PassPackages.SignAndZip(files)));
        Assert.Contains("icon.png", error.Message, StringComparison.Ordinal);
    }
}
