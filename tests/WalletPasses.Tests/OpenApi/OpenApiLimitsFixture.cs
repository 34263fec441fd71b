using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.OpenApi;

/// <summary>
/// The app over an Azurite of its own (a test stops it: a storage outage) with a staff key budget of one call per hour, so
/// a second call of the same key meets the staff rate limit.
/// </summary>
public sealed class OpenApiLimitsFixture : OwnAzuriteFixture
{
    protected override IDictionary<string, string?>? SettingOverrides => new Dictionary<string, string?>
    {
        ["WalletPasses:Staff:RateLimitPermits"] = "1",
        ["WalletPasses:Staff:RateLimitWindow"] = "01:00:00",
    };
}
