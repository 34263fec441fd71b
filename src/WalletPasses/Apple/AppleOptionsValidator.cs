using Microsoft.Extensions.Options;

namespace WalletPasses.Apple;

/// <summary>Start-up validation of the Apple settings: the certificates must load and be usable.</summary>
public sealed class AppleOptionsValidator(PassCertificateLoader loader, TimeProvider time) : IValidateOptions<AppleOptions>
{
    public ValidateOptionsResult Validate(string? name, AppleOptions options)
    {
        var (certificates, mainErrors) = loader.Load(options); // the loader owns what it loaded: not disposed here
        var errors = mainErrors.Concat(ProgramCertificates.Check(options, certificates?.PassTypeIdentifier, time)).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
