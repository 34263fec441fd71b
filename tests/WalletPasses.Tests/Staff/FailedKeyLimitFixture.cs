using System.Globalization;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Staff;

/// <summary>A small failure budget, so the test reaches it; a long window, so it does not reset mid-test.</summary>
public sealed class FailedKeyLimitFixture : AppFixture
{
    public const int Failures = 5;

    protected override IDictionary<string, string?>? SettingOverrides => new Dictionary<string, string?>
    {
        ["WalletPasses:Staff:FailedKeyLimit"] = Failures.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["WalletPasses:Staff:FailedKeyWindow"] = "01:00:00",
    };
}
