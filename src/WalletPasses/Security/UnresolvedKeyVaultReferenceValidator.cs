using Microsoft.Extensions.Options;

namespace WalletPasses.Security;

/// <summary>
/// Stops start-up while any <c>WalletPasses</c> setting still holds a Key Vault reference's text. App Service hands
/// the app the reference itself when it cannot resolve it ("Troubleshoot Key Vault references",
/// learn.microsoft.com/azure/app-service/app-service-key-vault-references): a secret a first deployment never stored,
/// or one the app's identity may not read. That text would otherwise pass for a signing secret or an API key.
/// </summary>
public sealed class UnresolvedKeyVaultReferenceValidator(IConfiguration configuration) : IValidateOptions<WalletPassesOptions>
{
    public ValidateOptionsResult Validate(string? name, WalletPassesOptions options)
    {
        var failures = configuration.GetSection(WalletPassesOptions.Section).AsEnumerable()
            .Where(setting => setting.Value is { } value && IsReference(value))
            .Select(setting => $"{setting.Key} is an unresolved Key Vault reference: check that the secret exists in the vault (the first deployment must give it) and that the app's identity may read it.")
            .Order(StringComparer.Ordinal)
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Whether a setting's value is a Key Vault reference rather than what it refers to.</summary>
    public static bool IsReference(string value) =>
        value.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase);
}
