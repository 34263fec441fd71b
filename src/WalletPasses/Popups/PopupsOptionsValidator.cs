using Microsoft.Extensions.Options;

namespace WalletPasses.Popups;

/// <summary>Stops start-up on <c>WalletPasses:Popups</c> settings outside what passes and storage can carry.</summary>
public sealed class PopupsOptionsValidator : IValidateOptions<PopupsOptions>
{
    private static readonly TimeSpan LongestAnnouncement = TimeSpan.FromDays(30);

    public ValidateOptionsResult Validate(string? name, PopupsOptions options)
    {
        var failures = new List<string>();
        if (options.AnnounceBefore < TimeSpan.Zero || options.AnnounceBefore > LongestAnnouncement)
        {
            failures.Add($"{PopupsOptions.Section}:AnnounceBefore must be between 00:00:00 and 30.00:00:00 (how long before opening passes carry a pop-up), for example 1.00:00:00.");
        }
        if (options.MaxPerProgram is < 1 or > 10_000)
        {
            failures.Add($"{PopupsOptions.Section}:MaxPerProgram must be between 1 and 10000, for example 500.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
