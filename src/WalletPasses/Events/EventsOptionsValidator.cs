using Microsoft.Extensions.Options;

namespace WalletPasses.Events;

/// <summary>Stops start-up on <c>WalletPasses:Events</c> settings the ingestion or the queue poller cannot work with.</summary>
public sealed class EventsOptionsValidator : IValidateOptions<EventsOptions>
{
    // Azure Queue storage, "Get Messages": visibilitytimeout must be at least 1 second and at most 7 days.
    private static readonly TimeSpan LongestVisibilityTimeout = TimeSpan.FromDays(7);

    public ValidateOptionsResult Validate(string? name, EventsOptions options)
    {
        var failures = new List<string>();
        if (options.SignatureTolerance <= TimeSpan.Zero)
        {
            failures.Add($"{EventsOptions.Section}:SignatureTolerance must be positive, for example 00:05:00: it is how far a signed request's timestamp may be from now.");
        }

        if (options.VisibilityTimeout < TimeSpan.FromSeconds(1) || options.VisibilityTimeout > LongestVisibilityTimeout)
        {
            failures.Add($"{EventsOptions.Section}:VisibilityTimeout must be between 00:00:01 and 7.00:00:00 (Azure Queue storage's limits), for example 00:00:30.");
        }

        if (options.MaxIdleDelay <= TimeSpan.Zero)
        {
            failures.Add($"{EventsOptions.Section}:MaxIdleDelay must be positive, for example 00:00:00.250: it is the longest pause between polls of an empty queue.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
