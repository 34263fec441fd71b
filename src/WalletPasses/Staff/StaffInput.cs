using WalletPasses.Security;

namespace WalletPasses.Staff;

/// <summary>Input rules shared by the staff routes.</summary>
public static class StaffInput
{
    public const int MaxNameLength = 64;

    /// <summary>
    /// Locations and staff key names become Table Storage keys, queue messages and log values: short,
    /// letters, digits, '.', '_' and '-', starting with a letter or digit.
    /// </summary>
    public static string? NameError(string field, string? value) =>
        !IdentifierFormat.ShortName.IsValid(value)
            ? $"{field} must be 1 to {MaxNameLength} letters, digits, '.', '_' or '-', starting with a letter or digit."
            : null;

    /// <summary>Idempotency keys (a UUID is typical): 8 to 100 characters, the same safe set plus ':'.</summary>
    public static string? IdempotencyKeyError(string? value) =>
        !IdentifierFormat.IdempotencyKey.IsValid(value)
            ? "An idempotency key (header Idempotency-Key or field idempotencyKey) of 8 to 100 letters, digits, '.', '_', ':' or '-' is required."
            : null;
}
