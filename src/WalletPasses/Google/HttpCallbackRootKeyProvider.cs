using System.Text.Json;
using Microsoft.Extensions.Options;

namespace WalletPasses.Google;

/// <summary>
/// Fetches the root keys from <see cref="GoogleWalletOptions.CallbackKeysUrl"/> and caches them until the first
/// one expires, but no longer than the response's Cache-Control max-age (a day without one), so a newly published
/// root key is picked up before the old keys run out. Anyone can post a callback, so neither a failed fetch nor
/// keys that have all expired make the next callback fetch again: either is kept for <see cref="RetryAfter"/>.
/// </summary>
public sealed class HttpCallbackRootKeyProvider(
    IHttpClientFactory httpClientFactory, IOptions<GoogleWalletOptions> options, TimeProvider timeProvider)
    : ICallbackRootKeyProvider, IDisposable
{
    public const string HttpClientName = "WalletPasses.Google.CallbackKeys";

    /// <summary>The shortest time between two fetches.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan DefaultMaxCacheAge = TimeSpan.FromDays(1);

    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private volatile CachedRootKeys? _cache;

    public async ValueTask<IReadOnlyList<CallbackRootKey>> GetRootKeysAsync(CancellationToken cancellationToken)
    {
        if (_cache is { } fresh && timeProvider.GetUtcNow() < fresh.ValidUntil)
        {
            return fresh.Keys ?? throw fresh.Unavailable();
        }

        // One fetch at a time: concurrent callbacks after expiry wait for it instead of each fetching.
        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            if (_cache is { } refreshedMeanwhile && timeProvider.GetUtcNow() < refreshedMeanwhile.ValidUntil)
            {
                return refreshedMeanwhile.Keys ?? throw refreshedMeanwhile.Unavailable();
            }

            CachedRootKeys fetched;
            try
            {
                fetched = await FetchAsync(cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or JsonException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                _cache = new CachedRootKeys(null, timeProvider.GetUtcNow() + RetryAfter, e.Message);
                throw;
            }

            _cache = fetched;
            return fetched.Keys!;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    public void Dispose() => _refreshLock.Dispose();

    private async Task<CachedRootKeys> FetchAsync(CancellationToken cancellationToken)
    {
        var httpClient = httpClientFactory.CreateClient(HttpClientName);
        using var response = await httpClient.GetAsync(options.Value.CallbackKeysUrl, cancellationToken);
        response.EnsureSuccessStatusCode();
        var document = await response.Content.ReadFromJsonAsync<RootKeysDocument>(GoogleWalletJson.Options, cancellationToken);
        var keys = (document?.Keys ?? [])
            .Where(key => !string.IsNullOrEmpty(key.KeyValue) && !string.IsNullOrEmpty(key.ProtocolVersion))
            .Select(key => new CallbackRootKey(
                key.KeyValue!,
                key.ProtocolVersion!,
                key.KeyExpiration is { } millis ? DateTimeOffset.FromUnixTimeMilliseconds(millis) : null))
            .ToList();

        var now = timeProvider.GetUtcNow();
        var validUntil = now + (response.Headers.CacheControl?.MaxAge ?? DefaultMaxCacheAge);
        foreach (var key in keys)
        {
            if (key.ExpiresAt < validUntil)
            {
                validUntil = key.ExpiresAt.Value;
            }
        }

        // Keys that have expired (or are about to) are still kept a while: the verifier ignores them anyway.
        return new CachedRootKeys(keys, validUntil < now + RetryAfter ? now + RetryAfter : validUntil, null);
    }

    /// <param name="Keys">Null while a failed fetch is remembered.</param>
    private sealed record CachedRootKeys(IReadOnlyList<CallbackRootKey>? Keys, DateTimeOffset ValidUntil, string? Failure)
    {
        public HttpRequestException Unavailable() => new($"Google's callback keys could not be fetched a moment ago ({Failure}); not asking again yet.");
    }

    // keyExpiration is milliseconds since the epoch, sent as a JSON string (the web defaults read it as a number too).
    private sealed record RootKeysDocument(IReadOnlyList<RootKeyEntry>? Keys);

    private sealed record RootKeyEntry(string? KeyValue, string? ProtocolVersion, long? KeyExpiration);
}
