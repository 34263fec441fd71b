using Microsoft.Extensions.Options;
using WalletPasses.Programs;

namespace WalletPasses.Security;

public sealed class ApiKeyOptionsValidator(IHostEnvironment environment) : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new List<string>();
        if (options.Backend.Count == 0 && !environment.IsDevelopment())
        {
            // Without one no backend can issue a member's pass; the development key only exists in Development.
            failures.Add("WalletPasses:ApiKeys:Backend has no key: add one (WalletPasses__ApiKeys__Backend__<name>=<random key or sha256:hash>) for the loyalty backend.");
        }

        foreach (var (role, keys) in new[] { ("Backend", options.Backend), ("Staff", options.Staff) })
        {
            foreach (var (keyName, value) in keys)
            {
                if (!ApiKeyHash.TryParseConfigured(value, out _))
                {
                    failures.Add($"WalletPasses:ApiKeys:{role}:{keyName} must be a key of at least {ApiKeyHash.MinimumKeyLength} characters or 'sha256:' followed by 64 hex digits.");
                }
                else if (!environment.IsDevelopment() && ApiKeyOptions.IsDevelopmentKey(value))
                {
                    failures.Add($"WalletPasses:ApiKeys:{role}:{keyName} is a development-only key; configure a real key outside the Development environment.");
                }
                else if (environment.IsProduction() && !ApiKeyHash.IsHashForm(value) && value.Length < ApiKeyOptions.ProductionMinimumKeyLength)
                {
                    failures.Add($"WalletPasses:ApiKeys:{role}:{keyName} is shorter than {ApiKeyOptions.ProductionMinimumKeyLength} characters: in Production use a random key of at least {ApiKeyOptions.ProductionMinimumKeyLength} characters ({SecretStrength.Advice}).");
                }
                else if (environment.IsProduction() && !ApiKeyHash.IsHashForm(value) && SecretStrength.IsWeak(value))
                {
                    failures.Add($"WalletPasses:ApiKeys:{role}:{keyName} is too predictable (too few different characters): in Production use a random key ({SecretStrength.Advice}).");
                }
            }
        }

        foreach (var (keyName, programs) in options.BackendPrograms)
        {
            if (!options.Backend.Keys.Any(configured => string.Equals(configured, keyName, StringComparison.OrdinalIgnoreCase)))
            {
                // A typo here would leave the brand's real key unlimited.
                failures.Add($"WalletPasses:ApiKeys:BackendPrograms:{keyName} names no backend key: it must be the name of a WalletPasses:ApiKeys:Backend key.");
            }
            else if (programs.Count == 0)
            {
                failures.Add($"WalletPasses:ApiKeys:BackendPrograms:{keyName} must list program ids, as WalletPasses__ApiKeys__BackendPrograms__{keyName}__0=<programId>.");
            }
            else if (programs.Select(ProgramRegistry.IdError).FirstOrDefault(error => error is not null) is { } idError)
            {
                // The registry's own rule and words: a reserved id ('drafts') is as wrong as a malformed one.
                failures.Add($"WalletPasses:ApiKeys:BackendPrograms:{keyName}: {idError} Example: WalletPasses__ApiKeys__BackendPrograms__{keyName}__0=brand2.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
