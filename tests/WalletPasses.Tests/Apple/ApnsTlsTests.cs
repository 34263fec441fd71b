using System.Net;
using System.Security.Cryptography.X509Certificates;
using WalletPasses.Apple.Apns;
using static WalletPasses.Tests.Apple.ApnsTestClients;

namespace WalletPasses.Tests.Apple;

/// <summary>Both ends of the mutual TLS: the client trusts no more than it should, the emulator demands a certificate.</summary>
public sealed class ApnsTlsTests
{
    private const string Topic = ApnsTestCertificates.PassTypeIdentifier;

    [Fact]
    public async Task A_client_without_the_emulators_root_fails_tls_and_sends_nothing()
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        var options = OptionsFor(emulator);
        options.ApnsTrustedRootFile = null;
        var health = new ApnsHealth();
        using var client = Create(options, health: health);

        var result = await client.PushAsync(Token(1), Topic);

        var failed = Assert.IsType<ApnsPushResult.Failed>(result);
        Assert.StartsWith("TLS handshake failed", failed.Reason, StringComparison.Ordinal);
        Assert.Null(failed.StatusCode);
        Assert.Equal(1, failed.Attempts);
        Assert.Empty(emulator.Pushes);
        Assert.Equal(failed.Reason, health.GetSnapshot().LastFailureReason);
    }

    [Fact]
    public async Task A_client_trusting_another_root_fails_tls()
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        using var unrelatedRoot = ApnsTestCertificates.CreateRootCertificate("Unrelated Test Root CA");
        var unrelatedRootFile = Path.Combine(Path.GetTempPath(), $"unrelated-root-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(unrelatedRootFile, unrelatedRoot.ExportCertificatePem());
        try
        {
            var options = OptionsFor(emulator);
            options.ApnsTrustedRootFile = unrelatedRootFile;
            using var client = Create(options);

            var result = await client.PushAsync(Token(1), Topic);

            Assert.StartsWith("TLS handshake failed", Assert.IsType<ApnsPushResult.Failed>(result).Reason, StringComparison.Ordinal);
            Assert.Empty(emulator.Pushes);
        }
        finally
        {
            File.Delete(unrelatedRootFile);
        }
    }

    [Fact]
    public async Task The_emulator_refuses_a_client_without_a_certificate()
    {
        await using var emulator = await ApnsEmulator.StartAsync();

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => SendRawPushAsync(emulator, clientCertificate: null));
        Assert.Empty(emulator.Pushes);

        // The same request with the certificate goes through: the certificate was the only thing missing.
        using var response = await SendRawPushAsync(emulator, ApnsTestCertificates.PassCertificate);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(emulator.Pushes);
    }

    [Fact]
    public async Task The_emulator_refuses_a_certificate_from_an_unknown_issuer()
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        using var strangerRoot = ApnsTestCertificates.CreateRootCertificate("Stranger Test Root CA");
        using var strangerCertificate = ApnsTestCertificates.CreatePassTypeCertificate(strangerRoot);
        using var client = Create(OptionsFor(emulator), CertificateSource(strangerCertificate));

        var result = await client.PushAsync(Token(1), Topic);

        // With TLS 1.3 the server refuses after the client's side of the handshake, so the client sees a
        // broken connection rather than a TLS error; either way nothing is delivered.
        Assert.IsType<ApnsPushResult.Failed>(result);
        Assert.Empty(emulator.Pushes);
    }

    [Fact]
    public void The_test_pass_certificate_is_shaped_like_a_pass_type_id_certificate()
    {
        var certificate = ApnsTestCertificates.PassCertificate;

        Assert.Equal(
            new X500DistinguishedName("UID=pass.com.example.test, CN=Pass Type ID: pass.com.example.test, OU=TEAM123456, O=Example, C=US").RawData,
            certificate.SubjectName.RawData);
        Assert.True(certificate.HasPrivateKey);
        Assert.True(ApnsTestCertificates.ChainsTo(certificate, ApnsTestCertificates.Root, forClientAuthentication: true));
    }

    /// <summary>
    /// The emulator refuses what APNs refuses, whatever a test scripted, so a test passing against it says something: Apple,
    /// "Handling notification responses from APNs", reasons TopicDisallowed, BadDeviceToken, PayloadEmpty, PayloadTooLarge,
    /// BadPriority, DuplicateHeaders; "Sending notification requests to APNs": the certificate must include the topic's
    /// capability, and a regular payload is at most 4096 bytes.
    /// </summary>
    [Theory]
    [InlineData("pass.com.example.other", "1", "{}", null, 400, "TopicDisallowed")]
    [InlineData(Topic, "zz", "{}", null, 400, "BadDeviceToken")]
    [InlineData(Topic, "1", "", null, 400, "PayloadEmpty")]
    [InlineData(Topic, "1", "big", null, 413, "PayloadTooLarge")]
    [InlineData(Topic, "1", "{}", "7", 400, "BadPriority")]
    [InlineData(null, "1", "{}", null, 200, null)]
    public async Task The_emulator_refuses_what_APNs_refuses(string? topic, string token, string body, string? priority, int status, string? reason)
    {
        await using var emulator = await ApnsEmulator.StartAsync();
        emulator.RespondToNext(ApnsReply.Ok);

        using var response = await SendRawPushAsync(
            emulator,
            ApnsTestCertificates.PassCertificate,
            token == "1" ? Token(1) : token + Token(1)[2..],
            body == "big" ? "{\"x\":\"" + new string('a', 4090) + "\"}" : body,
            request =>
            {
                if (topic is not null)
                {
                    request.Headers.Add("apns-topic", topic);
                }

                if (priority is not null)
                {
                    request.Headers.Add("apns-priority", priority);
                }
            });

        Assert.Equal(status, (int)response.StatusCode);
        if (reason is not null)
        {
            Assert.Contains($"\"reason\":\"{reason}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    /// <summary>A plain HttpClient push that trusts the emulator's CA, bypassing <see cref="ApnsClient"/>.</summary>
    private static async Task<HttpResponseMessage> SendRawPushAsync(
        ApnsEmulator emulator, X509Certificate2? clientCertificate, string? pushToken = null, string body = "{}", Action<HttpRequestMessage>? configure = null)
    {
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is X509Certificate2 serverCertificate
            && ApnsTestCertificates.ChainsTo(serverCertificate, emulator.CertificateAuthority, forClientAuthentication: false);
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        using var httpClient = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(emulator.BaseUrl, $"/3/device/{pushToken ?? Token(1)}"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent(body),
        };
        configure?.Invoke(request);
        return await httpClient.SendAsync(request);
    }
}
