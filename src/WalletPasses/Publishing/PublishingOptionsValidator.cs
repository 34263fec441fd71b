using Microsoft.Extensions.Options;

namespace WalletPasses.Publishing;

/// <summary>Stops start-up on <c>WalletPasses:Publishing</c> settings that would refuse every template or stall the bulk re-issue.</summary>
public sealed class PublishingOptionsValidator : IValidateOptions<PublishingOptions>
{
    private const string Section = PublishingOptions.Section;

    public ValidateOptionsResult Validate(string? name, PublishingOptions options)
    {
        var failures = new List<string>();
        if (options.MaxZipBytes is <= 0 or > int.MaxValue)
        {
            failures.Add($"{Section}:MaxZipBytes must be positive and at most 2 GB (the zip is read into memory), for example 20971520.");
        }
        if (options.MaxZipEntries <= 0)
        {
            failures.Add($"{Section}:MaxZipEntries must be positive, for example 200.");
        }
        if (options.MaxUncompressedBytes <= 0)
        {
            failures.Add($"{Section}:MaxUncompressedBytes must be positive, for example 52428800.");
        }
        if (options.ImpactSampleSize is < 1 or > 100_000)
        {
            failures.Add($"{Section}:ImpactSampleSize must be between 1 and 100000, for example 2000.");
        }
        if (options.MembersPerSecond <= 0)
        {
            failures.Add($"{Section}:MembersPerSecond must be positive, for example 200.");
        }
        if (options.ChunkSize is < 1 or > 1000)
        {
            failures.Add($"{Section}:ChunkSize must be between 1 and 1000, for example 100.");
        }
        if (options.Concurrency is < 1 or > 64)
        {
            failures.Add($"{Section}:Concurrency must be between 1 and 64, for example 16.");
        }
        if (options.RunBudget <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:RunBudget must be positive, for example 00:00:50.");
        }
        else if (options.Lease <= options.RunBudget)
        {
            failures.Add($"{Section}:Lease must be longer than {Section}:RunBudget (a run must checkpoint before its lease ends), for example 00:02:00 and 00:00:50.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
