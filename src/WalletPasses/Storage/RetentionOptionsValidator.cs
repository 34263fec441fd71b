using Microsoft.Extensions.Options;

namespace WalletPasses.Storage;

/// <summary>Stops start-up on a <c>WalletPasses:Retention</c> policy that would lose safety or never delete.</summary>
public sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var failures = new List<string>();
        if (options.AppliedEvents <= RetentionOptions.QueueMessageTimeToLive)
        {
            failures.Add($"{RetentionOptions.Section}:AppliedEvents must be longer than the queue message time-to-live ({RetentionOptions.QueueMessageTimeToLive.TotalDays} days), or a redelivered event could apply twice; for example 14.00:00:00.");
        }

        if (options.Scans <= TimeSpan.Zero || options.DeliveryTrace <= TimeSpan.Zero || options.RejectedEvents <= TimeSpan.Zero || options.MaxDeletesPerRun <= 0)
        {
            failures.Add($"{RetentionOptions.Section}: Scans, DeliveryTrace, RejectedEvents and MaxDeletesPerRun must be positive, for example 365.00:00:00, 30.00:00:00, 30.00:00:00 and 20000.");
        }

        if (options.SweepRunBudget <= TimeSpan.Zero || options.SweepRunBudget > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{RetentionOptions.Section}:SweepRunBudget must be more than zero and at most 00:01:00 (a run reads four tables within a Functions timeout), for example 00:00:45.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
