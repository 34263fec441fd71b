using System.Net;
using Microsoft.Extensions.Options;

namespace WalletPasses.Hosting;

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
