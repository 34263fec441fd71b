using Microsoft.Extensions.Options;

namespace WalletPasses.Apple;

/// <summary>Start-up validation of the Apple settings: the certificates must load and be usable.</summary>
public sealed class AppleOptionsValidator(PassCertificateLoader loader) : IValidateOptions<AppleOptions>
{
    public ValidateOptionsResult Validate(string? name, AppleOptions options)
    {
        var (_, errors) = loader.Load(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
