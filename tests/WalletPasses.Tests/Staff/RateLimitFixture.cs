using System.Globalization;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Staff;

/// <summary>A small limit, so the test reaches it; a long window, so it does not reset mid-test.</summary>
public sealed class RateLimitFixture : AppFixture
{
    public const int Permits = 3;

    protected override IDictionary<string, string?>? SettingOverrides => new Dictionary<string, string?>
    {
        ["WalletPasses:Staff:RateLimitPermits"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["WalletPasses:Staff:RateLimitWindow"] = "01:00:00",
    };
}
