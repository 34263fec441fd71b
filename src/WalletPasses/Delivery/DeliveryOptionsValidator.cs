using Microsoft.Extensions.Options;

namespace WalletPasses.Delivery;

/// <summary>Stops start-up on <c>WalletPasses:Delivery</c> settings the outbox cannot retry or page with.</summary>
public sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    private const int MaxOfferExpiriesPerRun = 2000;

    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        var failures = new List<string>();
        if (options.RetryInterval <= TimeSpan.Zero || options.MaxRetryDelay < options.RetryInterval)
        {
            failures.Add($"{DeliveryOptions.Section}:RetryInterval must be positive and {DeliveryOptions.Section}:MaxRetryDelay at least RetryInterval, for example 00:00:30 and 01:00:00.");
        }

        if (options.AnnouncerGrace <= TimeSpan.Zero)
        {
            failures.Add($"{DeliveryOptions.Section}:AnnouncerGrace must be positive and longer than one delivery, for example 00:00:20.");
        }

        if (options.RepushAfter <= TimeSpan.Zero)
        {
            failures.Add($"{DeliveryOptions.Section}:RepushAfter must be positive, for example 00:10:00.");
        }

        // A crash loses up to one delay of trace rows, and a negative one would stop the timed flush for good.
        if (options.TraceFlushDelay < TimeSpan.Zero || options.TraceFlushDelay > TimeSpan.FromHours(1))
        {
            failures.Add($"{DeliveryOptions.Section}:TraceFlushDelay must be between 00:00:00 and 01:00:00, for example 00:00:01.");
        }

        if (options.MaxPerRun is < 1 or > 1000)
        {
            failures.Add($"{DeliveryOptions.Section}:MaxPerRun must be between 1 and 1000, for example 50.");
        }

        // A member is a few Table Storage round trips one after another, then its APNs pushes and a Google write, which
        // the Google client's own rate limit (RequestsPerSecond, 20/s) paces: 2,000 members are at least 100 s and a few
        // minutes at worst, within a Functions timer invocation (Flex Consumption's default functionTimeout is 30 min)
        // and short enough that a scale-in or a deploy seldom cuts one short (which loses nothing: the rows stay due).
        if (options.OfferExpiryMaxPerRun is < 1 or > MaxOfferExpiriesPerRun)
        {
            failures.Add($"{DeliveryOptions.Section}:OfferExpiryMaxPerRun must be between 1 and {MaxOfferExpiriesPerRun}, for example 200.");
        }

        if (options.CensusMembersPerChunk is < 1 or > 10_000)
        {
            failures.Add($"{DeliveryOptions.Section}:CensusMembersPerChunk must be between 1 and 10000, for example 500.");
        }

        if (options.CensusInterval <= TimeSpan.Zero || options.CensusRunBudget < TimeSpan.Zero)
        {
            failures.Add($"{DeliveryOptions.Section}:CensusInterval must be positive and {DeliveryOptions.Section}:CensusRunBudget not negative, for example 00:15:00 and 00:00:40.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
