using WalletPasses.Apple;
using WalletPasses.Apple.Apns;
using static WalletPasses.Tests.Apple.ApnsTestClients;

namespace WalletPasses.Tests.Apple;

public sealed class ApnsClientRetryTests
{
    private const string Topic = ApnsTestCertificates.PassTypeIdentifier;

    // Apple, "Handling notification responses from APNs"
    // (https://developer.apple.com/documentation/usernotifications/handling-notification-responses-from-apns):
    // 500 internal server error, 503 server shutting down and unavailable; 502 and 504 are the gateway forms of
    // the same outage on the way to it (sent without an APNs reason body).
    public static TheoryData<int, string?> TransientAnswers => new()
    {
        { 500, "InternalServerError" },
        { 502, null },
        { 503, "ServiceUnavailable" },
        { 504, null },
    };

    [Theory]
    [MemberData(nameof(TransientAnswers))]
    public async Task A_transient_answer_then_ok_is_delivered_after_a_retry(int statusCode, string? reason)
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        using var client = Create(emulator);
        emulator.RespondToNext(new ApnsReply(statusCode, reason));

        var result = await client.PushAsync(Token(1), Topic);

        Assert.IsType<ApnsPushResult.Delivered>(result);
        Assert.Equal([Token(1), Token(1)], emulator.Pushes.Select(push => push.PushToken));
    }

    [Fact]
    public async Task A_429_that_cannot_wait_a_second_is_returned_for_later()
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        using var client = Create(emulator); // waits at most 100 ms between attempts
        emulator.RespondToNext(ApnsReply.TooManyRequests());

        var result = await client.PushAsync(Token(1), Topic);

        Assert.Equal(new ApnsPushResult.Failed("TooManyRequests", 429, Attempts: 1, RetryAfter: TimeSpan.FromSeconds(1)), result);
        Assert.Single(emulator.Pushes);
    }

    /// <summary>
    /// Same source: 429 is "too many requests for the same device token", so its retry waits at least a second
    /// (the back-off alone would be at most 2 x 10 ms), or the Retry-After APNs sent.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData(2)]
    public async Task A_429_is_retried_no_sooner_than_a_second_later_or_after_its_retry_after(int? retryAfterSeconds)
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        var options = OptionsFor(emulator);
        options.ApnsMaxRetryDelay = TimeSpan.FromSeconds(3);
        using var client = Create(options);
        var retryAfter = retryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        emulator.RespondToNext(ApnsReply.TooManyRequests(retryAfter));

        var result = await client.PushAsync(Token(1), Topic);

        Assert.IsType<ApnsPushResult.Delivered>(result);
        var pushes = emulator.Pushes;
        Assert.Equal(2, pushes.Count);
        var waited = pushes[1].ReceivedAt - pushes[0].ReceivedAt;
        Assert.True(waited >= (retryAfter ?? TimeSpan.FromSeconds(1)) - TimeSpan.FromMilliseconds(100), $"retried after {waited}");
    }

    [Fact]
    public async Task A_retry_after_beyond_the_maximum_delay_ends_the_retries_and_is_returned()
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        using var client = Create(emulator);
        emulator.RespondToNext(ApnsReply.TooManyRequests(retryAfter: TimeSpan.FromMinutes(2)));

        var result = await client.PushAsync(Token(1), Topic);

        Assert.Equal(new ApnsPushResult.Failed("TooManyRequests", 429, Attempts: 1, RetryAfter: TimeSpan.FromMinutes(2)), result);
        Assert.Single(emulator.Pushes);
    }

    [Fact]
    public async Task Service_unavailable_forever_fails_after_the_configured_attempts()
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        var options = OptionsFor(emulator);
        options.ApnsMaxAttempts = 4;
        using var client = Create(options);
        emulator.RespondToToken(Token(1), ApnsReply.ServiceUnavailable);

        var result = await client.PushAsync(Token(1), Topic);

        Assert.Equal(new ApnsPushResult.Failed("ServiceUnavailable", 503, Attempts: 4, RetryAfter: null), result);
        Assert.Equal(4, emulator.Pushes.Count);
    }

    [Fact]
    public async Task Network_errors_are_retried_then_fail()
    {
        Uri closedBaseUrl;
        await using (var emulator = await ApnsEmulator.StartAsync())
        {
            // Once the emulator has stopped, its port refuses connections.
            closedBaseUrl = emulator.BaseUrl;
        }

        using var client = Create(new AppleOptions
        {
            ApnsBaseUrl = closedBaseUrl,
            ApnsMaxAttempts = 3,
            ApnsInitialRetryDelay = TimeSpan.FromMilliseconds(10),
            ApnsMaxRetryDelay = TimeSpan.FromMilliseconds(100),
        });

        var result = await client.PushAsync(Token(1), Topic);

        var failed = Assert.IsType<ApnsPushResult.Failed>(result);
        Assert.Null(failed.StatusCode);
        Assert.Equal(3, failed.Attempts);
        Assert.StartsWith("Network error (ConnectionError)", failed.Reason, StringComparison.Ordinal);
    }
}
