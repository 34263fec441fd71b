namespace WalletPasses.Hosting;

/// <summary>
/// Reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> the app believes, section
/// <c>WalletPasses:Proxies</c>. Loopback is always trusted (the Functions host forwards from there); a
/// header from any other address is ignored, so a client cannot claim another address or HTTPS.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "WalletPasses:Proxies";

    /// <summary>IP addresses of trusted proxies, for example <c>10.0.0.4</c> (empty entries are ignored).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form, for example <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];
}
