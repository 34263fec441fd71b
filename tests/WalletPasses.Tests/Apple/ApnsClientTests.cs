using System.Security.Cryptography.X509Certificates;
using NSubstitute;
using WalletPasses.Apple.Apns;
using static WalletPasses.Tests.Apple.ApnsTestClients;

namespace WalletPasses.Tests.Apple;

public sealed class ApnsClientTests
{
    private const string Topic = ApnsTestCertificates.PassTypeIdentifier;

    [Fact]
    public async Task Delivers_over_http2_with_the_pass_certificate_the_topic_and_an_empty_body()
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        using var client = Create(emulator);

        var result = await client.PushAsync(Token(1), Topic);

        Assert.IsType<ApnsPushResult.Delivered>(result);
        var push = Assert.Single(emulator.Pushes);
        Assert.Equal("POST", push.Method);
        Assert.Equal($"/3/device/{Token(1)}", push.Path);
        Assert.Equal("HTTP/2", push.Protocol);
        Assert.Equal("{}", push.Body);
        Assert.Equal(Topic, push.Headers["apns-topic"]);
        Assert.Equal(ApnsTestCertificates.PassCertificate.Subject, push.ClientCertificateSubject);
        Assert.Contains("CN=Pass Type ID: pass.com.example.test", push.ClientCertificateSubject, StringComparison.Ordinal);
        Assert.Contains("OU=TEAM123456", push.ClientCertificateSubject, StringComparison.Ordinal);
    }

    /// <summary>
    /// Apple, "Handling notification responses from APNs"
    /// (https://developer.apple.com/documentation/usernotifications/handling-notification-responses-from-apns): a 410's
    /// body carries <c>timestamp</c>, in milliseconds since the epoch, when APNs found the token no longer valid; a 400 none.
    /// </summary>
    [Theory]
    [InlineData(410, "Unregistered")]
    [InlineData(410, "ExpiredToken")]
    [InlineData(400, "BadDeviceToken")]
    [InlineData(400, "DeviceTokenNotForTopic")]
    public async Task Answers_that_end_a_token_mean_the_device_is_gone(int statusCode, string reason)
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        using var client = Create(emulator);
        var invalidSince = DateTimeOffset.FromUnixTimeMilliseconds(1_759_312_800_123);
        emulator.RespondToToken(Token(1), new ApnsReply(statusCode, reason, InvalidSince: invalidSince));

        var result = await client.PushAsync(Token(1), Topic);

        Assert.Equal(new ApnsPushResult.DeviceGone(reason, statusCode == 410 ? invalidSince : null), result);
        Assert.Single(emulator.Pushes);
    }

    [Fact]
    public async Task Other_client_errors_fail_at_once_and_keep_the_registration()
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        using var client = Create(emulator);
        emulator.RespondToNext(new ApnsReply(400, "TopicDisallowed"));

        var result = await client.PushAsync(Token(1), Topic);

        Assert.Equal(new ApnsPushResult.Failed("TopicDisallowed", 400, Attempts: 1, RetryAfter: null), result);
        Assert.Single(emulator.Pushes);
    }

    [Fact]
    public async Task A_topic_the_certificate_does_not_cover_fails_and_never_passes_for_a_gone_device()
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        using var client = Create(emulator);

        // The emulator answers as APNs does (400 TopicDisallowed): a configuration fault, not the device's.
        var result = await client.PushAsync(Token(1), "pass.com.example.other");

        Assert.Equal(new ApnsPushResult.Failed("TopicDisallowed", 400, Attempts: 1, RetryAfter: null), result);
    }

    [Fact]
    public async Task Forbidden_is_a_certificate_rejection_that_health_reports_until_a_push_succeeds()
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        var health = new ApnsHealth();
        using var client = Create(OptionsFor(emulator), health: health);
        emulator.RespondToNext(ApnsReply.BadCertificate);

        var result = await client.PushAsync(Token(1), Topic);

        Assert.Equal(new ApnsPushResult.CertificateRejected("BadCertificate"), result);
        Assert.Single(emulator.Pushes);
        var afterRejection = health.GetSnapshot();
        Assert.True(afterRejection.CertificateRejected);
        Assert.NotNull(afterRejection.LastCertificateRejectedAt);
        Assert.Equal("BadCertificate", afterRejection.LastCertificateRejectionReason);

        Assert.IsType<ApnsPushResult.Delivered>(await client.PushAsync(Token(2), Topic));

        var afterDelivery = health.GetSnapshot();
        Assert.False(afterDelivery.CertificateRejected);
        Assert.Equal(afterRejection.LastCertificateRejectedAt, afterDelivery.LastCertificateRejectedAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc123")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000/../../x")]
    public async Task Malformed_tokens_are_rejected_without_a_request(string pushToken)
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        using var client = Create(emulator);

        var result = await client.PushAsync(pushToken, Topic);

        Assert.Equal(new ApnsPushResult.DeviceGone("MalformedToken"), result);
        Assert.Empty(emulator.Pushes);
    }

    [Fact]
    public async Task A_token_longer_than_200_characters_is_rejected_without_a_request()
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        using var client = Create(emulator);

        var result = await client.PushAsync(new string('a', 202), Topic);

        Assert.IsType<ApnsPushResult.DeviceGone>(result);
        Assert.Empty(emulator.Pushes);
    }

    [Fact]
    public async Task Fan_out_of_500_pushes_is_recorded_in_full_over_few_connections()
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        using var client = Create(emulator);
        var tokens = Enumerable.Range(1, 500).Select(Token).ToList();

        var outcomes = await client.PushManyAsync(tokens, Topic);
        await emulator.WaitForPushesAsync(500, TimeSpan.FromSeconds(10));

        Assert.Equal(500, outcomes.Count);
        Assert.All(outcomes, outcome => Assert.IsType<ApnsPushResult.Delivered>(outcome.Result));
        var pushes = emulator.Pushes;
        Assert.Equal(500, pushes.Count);
        Assert.Equal(tokens.Order(StringComparer.Ordinal), pushes.Select(push => push.PushToken).Order(StringComparer.Ordinal));
        Assert.All(pushes, push => Assert.Equal("HTTP/2", push.Protocol));
        // HTTP/2 multiplexes: a second connection opens only when the first runs out of streams (100 in Kestrel).
        Assert.InRange(pushes.Select(push => push.ConnectionId).Distinct().Count(), 1, 5);
    }

    [Fact]
    public async Task Fan_out_returns_each_tokens_own_result_and_pushes_duplicates_once()
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        using var client = Create(emulator);
        emulator.RespondToToken(Token(2), ApnsReply.Unregistered);
        emulator.RespondToToken(Token(4), ApnsReply.BadDeviceToken);

        var outcomes = await client.PushManyAsync([Token(1), Token(2), Token(3), Token(2), "not-a-token", Token(4)], Topic);

        Assert.Equal([Token(1), Token(2), Token(3), "not-a-token", Token(4)], outcomes.Select(outcome => outcome.PushToken));
        Assert.IsType<ApnsPushResult.Delivered>(outcomes[0].Result);
        Assert.Equal("Unregistered", Assert.IsType<ApnsPushResult.DeviceGone>(outcomes[1].Result).Reason);
        Assert.IsType<ApnsPushResult.Delivered>(outcomes[2].Result);
        Assert.Equal(new ApnsPushResult.DeviceGone("MalformedToken"), outcomes[3].Result);
        Assert.Equal(new ApnsPushResult.DeviceGone("BadDeviceToken"), outcomes[4].Result);
        Assert.Equal(4, emulator.Pushes.Count);
    }

    [Fact]
    public async Task A_renewed_certificate_is_presented_on_the_next_connection()
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        // A renewal is a new certificate (new serial number) for the same pass type: APNs refuses another pass type's topic.
        using var renewed = ApnsTestCertificates.CreatePassTypeCertificate(ApnsTestCertificates.Root);
        var current = ApnsTestCertificates.PassCertificate;
        var source = Substitute.For<IApnsClientCertificateSource>();
        source.GetCertificate().Returns(_ => current);
        using var client = Create(OptionsFor(emulator), source);
        emulator.RespondToNext(ApnsReply.Ok with { CloseConnection = true });

        Assert.IsType<ApnsPushResult.Delivered>(await client.PushAsync(Token(1), Topic));
        current = renewed;
        Assert.IsType<ApnsPushResult.Delivered>(await client.PushAsync(Token(2), Topic));

        Assert.NotEqual(emulator.Pushes[0].ConnectionId, emulator.Pushes[1].ConnectionId);
        Assert.Equal([ApnsTestCertificates.PassCertificate.SerialNumber, renewed.SerialNumber], emulator.Pushes.Select(push => push.ClientCertificateSerialNumber));
    }

    [Fact]
    public async Task Push_tokens_never_appear_in_full_in_the_log()
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        var logger = new RecordingLogger<ApnsClient>();
        using var client = Create(OptionsFor(emulator), logger: logger);
        emulator.RespondToToken(Token(2), ApnsReply.Unregistered);
        emulator.RespondToToken(Token(3), ApnsReply.ServiceUnavailable);
        emulator.RespondToToken(Token(4), ApnsReply.BadCertificate);
        string[] tokens = [Token(1), Token(2), Token(3), Token(4)];

        await client.PushManyAsync(tokens, Topic);

        Assert.NotEmpty(logger.Lines);
        Assert.All(logger.Lines, line => Assert.DoesNotContain(tokens, token => line.Contains(token, StringComparison.OrdinalIgnoreCase)));
        Assert.Contains(logger.Lines, line => line.Contains(ApnsPushToken.Redact(Token(2)), StringComparison.Ordinal));
    }
}
