using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using NSubstitute;
using WalletPasses.Google;

namespace WalletPasses.Tests.Google;

public sealed class HttpCallbackRootKeyProviderTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly Uri KeysUrl = new("https://keys.example/gp/m/issuer/keys");

    private readonly ManualTimeProvider _clock = new(Now);
    private readonly KeysEndpoint _endpoint = new();
    private readonly HttpCallbackRootKeyProvider _provider;

    public HttpCallbackRootKeyProviderTests()
    {
        var httpClientFactory = Substitute.For<IHttpClientFactory>();
        httpClientFactory.CreateClient(HttpCallbackRootKeyProvider.HttpClientName).Returns(_ => new HttpClient(_endpoint, disposeHandler: false));
        var options = new GoogleWalletOptions { CallbackKeysUrl = KeysUrl };
        _provider = new HttpCallbackRootKeyProvider(httpClientFactory, Options.Create(options), _clock);
    }

    public void Dispose()
    {
        _provider.Dispose();
        _endpoint.Dispose();
    }

    [Fact]
    public async Task Parses_the_keys_and_their_expiry_given_as_string_or_number()
    {
        _endpoint.Body = $$"""
            {"keys":[
              {"keyValue":"AAAA","protocolVersion":"ECv2SigningOnly","keyExpiration":"{{Now.AddDays(30).ToUnixTimeMilliseconds()}}"},
              {"keyValue":"BBBB","protocolVersion":"ECv2","keyExpiration":{{Now.AddDays(40).ToUnixTimeMilliseconds()}}},
              {"keyValue":"CCCC","protocolVersion":"ECv2SigningOnly"},
              {"protocolVersion":"ECv2SigningOnly"}]}
            """;

        var keys = await _provider.GetRootKeysAsync(CancellationToken.None);

        Assert.Equal(
            [
                new CallbackRootKey("AAAA", "ECv2SigningOnly", Now.AddDays(30)),
                new CallbackRootKey("BBBB", "ECv2", Now.AddDays(40)),
                new CallbackRootKey("CCCC", "ECv2SigningOnly", null),
            ],
            keys);
        Assert.Equal([KeysUrl], _endpoint.RequestedUrls);
    }

    [Fact]
    public async Task Caches_the_keys_until_the_first_key_expires()
    {
        _endpoint.Body = KeysExpiringAt(Now.AddHours(2), Now.AddHours(5));

        await _provider.GetRootKeysAsync(CancellationToken.None);
        _clock.UtcNow = Now.AddHours(2).AddMilliseconds(-1);
        await _provider.GetRootKeysAsync(CancellationToken.None);
        Assert.Single(_endpoint.RequestedUrls);

        _clock.UtcNow = Now.AddHours(2);
        await _provider.GetRootKeysAsync(CancellationToken.None);
        Assert.Equal(2, _endpoint.RequestedUrls.Count);
    }

    [Fact]
    public async Task Refetches_after_the_cache_control_max_age_when_that_comes_first()
    {
        _endpoint.Body = KeysExpiringAt(Now.AddDays(365));
        _endpoint.MaxAge = TimeSpan.FromMinutes(10);

        await _provider.GetRootKeysAsync(CancellationToken.None);
        _clock.UtcNow = Now.AddMinutes(9);
        await _provider.GetRootKeysAsync(CancellationToken.None);
        _clock.UtcNow = Now.AddMinutes(10);
        await _provider.GetRootKeysAsync(CancellationToken.None);

        Assert.Equal(2, _endpoint.RequestedUrls.Count);
    }

    [Fact]
    public async Task Refetches_after_a_day_when_the_keys_last_longer_and_no_max_age_is_given()
    {
        _endpoint.Body = KeysExpiringAt(Now.AddDays(365));

        await _provider.GetRootKeysAsync(CancellationToken.None);
        _clock.UtcNow = Now.AddDays(1);
        await _provider.GetRootKeysAsync(CancellationToken.None);

        Assert.Equal(2, _endpoint.RequestedUrls.Count);
    }

    // Callbacks are anonymous: were a failure not remembered, each one would make the app fetch from Google again.
    [Fact]
    public async Task A_failed_fetch_is_remembered_for_a_minute_before_fetching_again()
    {
        _endpoint.Status = HttpStatusCode.ServiceUnavailable;

        await Assert.ThrowsAsync<HttpRequestException>(() => _provider.GetRootKeysAsync(CancellationToken.None).AsTask());
        _clock.UtcNow = Now + HttpCallbackRootKeyProvider.RetryAfter - TimeSpan.FromMilliseconds(1);
        await Assert.ThrowsAsync<HttpRequestException>(() => _provider.GetRootKeysAsync(CancellationToken.None).AsTask());
        Assert.Single(_endpoint.RequestedUrls);

        _endpoint.Status = HttpStatusCode.OK;
        _endpoint.Body = KeysExpiringAt(Now.AddDays(30));
        _clock.UtcNow = Now + HttpCallbackRootKeyProvider.RetryAfter;
        Assert.Single(await _provider.GetRootKeysAsync(CancellationToken.None));
        Assert.Equal(2, _endpoint.RequestedUrls.Count);
    }

    [Fact]
    public async Task Keys_that_have_all_expired_are_kept_for_a_minute_before_fetching_again()
    {
        _endpoint.Body = KeysExpiringAt(Now.AddHours(-1));

        await _provider.GetRootKeysAsync(CancellationToken.None);
        _clock.UtcNow = Now.AddSeconds(59);
        await _provider.GetRootKeysAsync(CancellationToken.None);
        Assert.Single(_endpoint.RequestedUrls);

        _clock.UtcNow = Now + HttpCallbackRootKeyProvider.RetryAfter;
        await _provider.GetRootKeysAsync(CancellationToken.None);
        Assert.Equal(2, _endpoint.RequestedUrls.Count);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_fetch()
    {
        _endpoint.Body = KeysExpiringAt(Now.AddHours(1));
        _endpoint.Delay = TimeSpan.FromMilliseconds(100);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _provider.GetRootKeysAsync(CancellationToken.None).AsTask()));

        Assert.Single(_endpoint.RequestedUrls);
    }

    private static string KeysExpiringAt(params DateTimeOffset[] expirations) =>
        "{\"keys\":[" + string.Join(",", expirations.Select(expiration =>
            $$"""{"keyValue":"AAAA","protocolVersion":"ECv2SigningOnly","keyExpiration":"{{expiration.ToUnixTimeMilliseconds()}}"}""")) + "]}";

    private sealed class KeysEndpoint : HttpMessageHandler
    {
        private readonly Lock _gate = new();
        private readonly List<Uri> _requestedUrls = [];

        public string Body { get; set; } = """{"keys":[]}""";

        public TimeSpan? MaxAge { get; set; }

        public TimeSpan Delay { get; set; }

        public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

        public IReadOnlyList<Uri> RequestedUrls
        {
            get
            {
                lock (_gate)
                {
                    return [.. _requestedUrls];
                }
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                _requestedUrls.Add(request.RequestUri!);
            }

            await Task.Delay(Delay, cancellationToken);
            var response = new HttpResponseMessage(Status) { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
            if (MaxAge is { } maxAge)
            {
                response.Headers.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = maxAge };
            }

            return response;
        }
    }
}
