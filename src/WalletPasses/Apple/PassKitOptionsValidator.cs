using Microsoft.Extensions.Options;

namespace WalletPasses.Apple;

/// <summary>Refuses PassKit limits that would refuse every device.</summary>
public sealed class PassKitOptionsValidator : IValidateOptions<PassKitOptions>
{
    public ValidateOptionsResult Validate(string? name, PassKitOptions options)
    {
        var limits = new (string Name, int Value)[]
        {
            (nameof(options.MaxDevicesPerPass), options.MaxDevicesPerPass),
            (nameof(options.RegistrationsPerPassPerHour), options.RegistrationsPerPassPerHour),
            (nameof(options.FailedAuthenticationsPerClientPerMinute), options.FailedAuthenticationsPerClientPerMinute),
            (nameof(options.FailedAuthenticationsPerPassPerMinute), options.FailedAuthenticationsPerPassPerMinute),
            (nameof(options.LogRequestsPerClientPerMinute), options.LogRequestsPerClientPerMinute),
            (nameof(options.UnknownDevicesPerClientPerMinute), options.UnknownDevicesPerClientPerMinute),
            (nameof(options.ListCallsPerDevicePerMinute), options.ListCallsPerDevicePerMinute),
        };
        var failures = limits.Where(limit => limit.Value < 1)
            .Select(limit => $"{PassKitOptions.Section}:{limit.Name} must be at least 1 (it is {limit.Value}).")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
