using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Hosting;

/// <summary>The app behind one configured reverse proxy, 10.0.0.4 (documentation addresses otherwise).</summary>
public sealed class BehindProxyFixture : AppFixture
{
    public const string Proxy = "10.0.0.4";

    protected override IDictionary<string, string?>? SettingOverrides => new Dictionary<string, string?>
    {
        ["WalletPasses:Proxies:KnownProxies:0"] = Proxy,
    };
}
