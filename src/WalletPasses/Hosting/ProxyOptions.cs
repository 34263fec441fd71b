using System.Net;
using Microsoft.Extensions.Options;

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

public sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var failures = options.KnownProxies.Where(p => p.Length > 0 && !IPAddress.TryParse(p, out _))
            .Select(p => $"{ProxyOptions.Section}:KnownProxies has '{p}', which is not an IP address (for example 10.0.0.4).")
            .Concat(options.KnownNetworks.Where(n => n.Length > 0 && !IPNetwork.TryParse(n, out _))
                .Select(n => $"{ProxyOptions.Section}:KnownNetworks has '{n}', which is not a network in CIDR form (for example 10.0.0.0/24)."))
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
