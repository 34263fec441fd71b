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
    public async Task A_429_for_a_token_is_not_retried_within_the_same_second()
    {
        // Same source: 429 "The server received too many requests for the same device token."
        await using var emulator = await ApnsEmulator.StartAsync();
        var options = OptionsFor(emulator);
        options.ApnsMaxRetryDelay = TimeSpan.FromSeconds(2);
        using var client = Create(options);
        emulator.RespondToNext(ApnsReply.TooManyRequests());

        var result = await client.PushAsync(Token(1), Topic);

        Assert.IsType<ApnsPushResult.Delivered>(result);
        var pushes = emulator.Pushes;
        Assert.Equal(2, pushes.Count);
        // The back-off alone would be at most 10 ms.
        Assert.True(pushes[1].ReceivedAt - pushes[0].ReceivedAt >= TimeSpan.FromSeconds(1), $"retried after {pushes[1].ReceivedAt - pushes[0].ReceivedAt}");
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

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        var options = OptionsFor(emulator);
        options.ApnsMaxRetryDelay = TimeSpan.FromSeconds(2);
        using var client = Create(options);
        emulator.RespondToNext(ApnsReply.TooManyRequests(retryAfter: TimeSpan.FromSeconds(1)));

        var result = await client.PushAsync(Token(1), Topic);

        Assert.IsType<ApnsPushResult.Delivered>(result);
        var pushes = emulator.Pushes;
        Assert.Equal(2, pushes.Count);
        // The back-off alone would be at most 2 x 10 ms.
        Assert.True(pushes[1].ReceivedAt - pushes[0].ReceivedAt >= TimeSpan.FromMilliseconds(900));
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

        using var client = Create(new ApnsOptions
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
