namespace WalletPasses.Members;

/// <summary>A platform that must hear of every new pass version (Apple pushes devices, Google updates its object).</summary>
public interface IPassChangeNotifier
{
    /// <summary>The platform's name in the announcement (<c>apple</c>, <c>google</c>).</summary>
    string Platform { get; }

    /// <summary>After a failed attempt, the first retry delay; it doubles with each further failure up to <see cref="MaxRetryDelay"/>.</summary>
    TimeSpan RetryInterval { get; }

    TimeSpan MaxRetryDelay { get; }

    /// <summary>
    /// Delivers the member's current version. Called again (with the <paramref name="record"/> this call returned)
    /// until it reports done, by whoever finishes the announcement: never announce twice what the record says
    /// was delivered. Throws only for storage failures.
    /// </summary>
    Task<PlatformDelivery> PassChangedAsync(Member member, string? record, CancellationToken cancellationToken);
}
