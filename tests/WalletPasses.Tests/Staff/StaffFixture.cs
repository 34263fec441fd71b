using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Staff;

/// <summary>Staff tests make many requests in a row: a limit they never reach (the limit has its own tests).</summary>
public sealed class StaffFixture : AppFixture
{
    protected override IDictionary<string, string?>? SettingOverrides => new Dictionary<string, string?>
    {
        ["WalletPasses:Staff:RateLimitPermits"] = "100000",
    };
}
