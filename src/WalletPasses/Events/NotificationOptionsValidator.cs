using Microsoft.Extensions.Options;

namespace WalletPasses.Events;

/// <summary>Stops start-up on a <c>WalletPasses:Notifications</c> limit that cannot be a count.</summary>
public sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options) =>
        options.MaxPerDay < 0
            ? ValidateOptionsResult.Fail($"{NotificationOptions.Section}:MaxPerDay must be 0 or more, for example 3 (Google's limit); 0 makes every update silent.")
            : ValidateOptionsResult.Success;
}
