using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// Stands in for <c>api.push.apple.com</c>: Kestrel on 127.0.0.1 with HTTP/2 only, TLS with a server
/// certificate from a test CA, and a client certificate required (chaining to that CA, as Apple requires
/// one of its own). Refuses what APNs refuses (<see cref="Refusal"/>), records every request and otherwise answers as
/// scripted, 200 by default.
/// </summary>
public sealed class ApnsEmulator : IAsyncDisposable
{
    private const string DevicePathPrefix = "/3/device/";

    // The client certificate's UID attribute: on a Pass Type ID certificate, the pass type identifier.
    private const string UidOid = "0.9.2342.19200300.100.1.1";

    /// <summary>Apple: "For regular remote notifications, the maximum size is 4KB (4096 bytes)".</summary>
    private const int MaxPayloadBytes = 4096;

    private readonly WebApplication app;
    private readonly X509Certificate2 serverCertificate;
    private readonly ConcurrentQueue<ApnsReply> nextReplies = new();
    private readonly ConcurrentDictionary<string, ApnsReply> repliesByToken = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, HeldPush> heldByToken = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock gate = new();
    private readonly List<RecordedPush> pushes = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> waiters = [];

    private ApnsEmulator(X509Certificate2 certificateAuthority, ClientTrust? clientTrust)
    {
        CertificateAuthority = certificateAuthority;
        CertificateAuthorityPem = certificateAuthority.ExportCertificatePem();
        CertificateAuthorityPemFile = Path.Combine(Path.GetTempPath(), $"apns-emulator-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(CertificateAuthorityPemFile, CertificateAuthorityPem);
        serverCertificate = ApnsTestCertificates.CreateServerCertificate(certificateAuthority);

        var builder = WebApplication.CreateSlimBuilder();
        // Nothing from the test host's appsettings or environment (URLs, Kestrel endpoints) may add listeners.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(https =>
            {
                https.ServerCertificate = serverCertificate;
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (certificate, _, _) => clientTrust is null
                    ? ApnsTestCertificates.ChainsTo(certificate, certificateAuthority, forClientAuthentication: true)
                    : ApnsTestCertificates.ChainsTo(certificate, clientTrust.Root, forClientAuthentication: true, clientTrust.Intermediate);
            });
        }));
        app = builder.Build();
        app.Run(HandleAsync);
    }

    /// <summary>The https base URL to use as <c>ApnsBaseUrl</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The CA behind the server certificate, which also must have issued client certificates.</summary>
    public X509Certificate2 CertificateAuthority { get; }

    public string CertificateAuthorityPem { get; }

    /// <summary>A temporary file holding <see cref="CertificateAuthorityPem"/>, for <c>ApnsTrustedRootFile</c>.</summary>
    public string CertificateAuthorityPemFile { get; }

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedPush> Pushes
    {
        get
        {
            lock (gate)
            {
                return [.. pushes];
            }
        }
    }

    /// <param name="certificateAuthority">Issues the server certificate; client certificates must chain to it unless <paramref name="clientTrust"/> says otherwise.</param>
    /// <param name="clientTrust">Where client (pass type) certificates must chain to instead, like Apple's WWDR chain.</param>
    public static async Task<ApnsEmulator> StartAsync(X509Certificate2? certificateAuthority = null, ClientTrust? clientTrust = null)
    {
        var emulator = new ApnsEmulator(certificateAuthority ?? ApnsTestCertificates.Root, clientTrust);
        await emulator.app.StartAsync();
        emulator.BaseUrl = new Uri(emulator.app.Urls.Single());
        return emulator;
    }

    /// <summary>Answers every later push to <paramref name="pushToken"/> with <paramref name="reply"/>.</summary>
    public void RespondToToken(string pushToken, ApnsReply reply) => repliesByToken[pushToken] = reply;

    /// <summary>
    /// Holds the next push to <paramref name="pushToken"/> (only that one: other tokens, and later pushes to this one,
    /// are answered at once) until <see cref="HeldPush.Release"/>: a delivery caught in flight. A sender that gives up
    /// meanwhile (its process died) leaves nothing recorded, as APNs never got the request.
    /// </summary>
    public HeldPush HoldNextPushTo(string pushToken) => heldByToken[pushToken] = new HeldPush();

    /// <summary>Answers the next requests, whatever their token, with these replies in order; they win over per-token replies.</summary>
    public void RespondToNext(params ApnsReply[] replies)
    {
        foreach (var reply in replies)
        {
            nextReplies.Enqueue(reply);
        }
    }

    /// <summary>Completes once at least <paramref name="count"/> requests have arrived.</summary>
    public async Task WaitForPushesAsync(int count, TimeSpan timeout)
    {
        TaskCompletionSource reached;
        lock (gate)
        {
            if (pushes.Count >= count)
            {
                return;
            }

            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((count, reached));
        }

        try
        {
            await reached.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The APNs emulator received {Pushes.Count} of {count} expected pushes within {timeout}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        serverCertificate.Dispose();
        File.Delete(CertificateAuthorityPemFile);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var path = request.Path.Value ?? string.Empty;
        var pushToken = path.StartsWith(DevicePathPrefix, StringComparison.Ordinal) ? path[DevicePathPrefix.Length..] : string.Empty;

        if (heldByToken.TryRemove(pushToken, out var held))
        {
            await held.HoldAsync(context.RequestAborted);
        }

        var reply = request.Method != HttpMethods.Post ? new ApnsReply(StatusCodes.Status405MethodNotAllowed, "MethodNotAllowed")
            : pushToken.Length == 0 ? new ApnsReply(StatusCodes.Status404NotFound, "BadPath")
            : Refusal(request.Headers, pushToken, body, context.Connection.ClientCertificate) ?? NextReply(pushToken);
        var apnsId = Guid.NewGuid().ToString("D").ToUpperInvariant();
        Record(new RecordedPush(
            request.Method,
            path,
            request.Protocol,
            pushToken,
            request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            context.Connection.ClientCertificate?.Subject,
            context.Connection.Id,
            DateTimeOffset.UtcNow,
            context.Connection.ClientCertificate?.SerialNumber,
            reply.StatusCode,
            apnsId));

        context.Response.StatusCode = reply.StatusCode;
        context.Response.Headers["apns-id"] = apnsId;
        if (reply.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        if (reply.StatusCode != StatusCodes.Status200OK && reply.Reason is { } reason)
        {
            // Apple, "Handling notification responses from APNs": a 410's body adds "timestamp", "the last time at which
            // APNs confirmed that the device token was no longer valid for the topic", in milliseconds since the epoch;
            // no other status has one. Unscripted, that is now.
            var timestamp = reply.StatusCode == StatusCodes.Status410Gone
                ? $",\"timestamp\":{(reply.InvalidSince ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds()}"
                : string.Empty;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($"{{\"reason\":\"{reason}\"{timestamp}}}", context.RequestAborted);
        }

        if (reply.CloseConnection)
        {
            // A graceful HTTP/2 GOAWAY, as APNs sends now and then: the client must continue on a new connection.
            context.Features.GetRequiredFeature<IConnectionLifetimeNotificationFeature>().RequestClose();
        }
    }

    /// <summary>
    /// What APNs refuses whatever was scripted, per Apple's "Sending notification requests to APNs" and the reason table of
    /// "Handling notification responses from APNs"
    /// (https://developer.apple.com/documentation/usernotifications/handling-notification-responses-from-apns): apns-topic
    /// must be a topic of the client certificate ("The certificate you create in your developer account must include the
    /// capability for this topic"; without the header, a single-topic certificate's own topic is used), else 400
    /// TopicDisallowed; a token that is not hex is 400 BadDeviceToken; an empty payload is 400 PayloadEmpty, one over
    /// 4096 bytes 413 PayloadTooLarge; apns-priority is 10, 5 or 1 (400 BadPriority); no header twice (400 DuplicateHeaders).
    /// A Pass Type ID certificate's one topic is its UID, the pass type identifier.
    /// </summary>
    private static ApnsReply? Refusal(IHeaderDictionary headers, string pushToken, string body, X509Certificate2? certificate)
    {
        var certificateTopic = certificate?.SubjectName.EnumerateRelativeDistinguishedNames()
            .FirstOrDefault(rdn => rdn.GetSingleElementType().Value == UidOid)?.GetSingleElementValue();
        string[] apnsHeaders = ["apns-topic", "apns-priority", "apns-push-type", "apns-expiration", "apns-id", "apns-collapse-id"];
        if (apnsHeaders.Any(name => headers[name].Count > 1))
        {
            return new ApnsReply(StatusCodes.Status400BadRequest, "DuplicateHeaders");
        }

        var topic = headers["apns-topic"].ToString();
        if (topic.Length == 0 ? certificateTopic is null : topic != certificateTopic)
        {
            return new ApnsReply(StatusCodes.Status400BadRequest, topic.Length == 0 ? "MissingTopic" : "TopicDisallowed");
        }

        if (!pushToken.All(char.IsAsciiHexDigit))
        {
            return new ApnsReply(StatusCodes.Status400BadRequest, "BadDeviceToken");
        }

        if (headers["apns-priority"] is { Count: 1 } priority && priority.ToString() is not ("10" or "5" or "1"))
        {
            return new ApnsReply(StatusCodes.Status400BadRequest, "BadPriority");
        }

        var payloadBytes = System.Text.Encoding.UTF8.GetByteCount(body);
        return payloadBytes == 0 ? new ApnsReply(StatusCodes.Status400BadRequest, "PayloadEmpty")
            : payloadBytes > MaxPayloadBytes ? new ApnsReply(StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge")
            : null;
    }

    private ApnsReply NextReply(string pushToken) =>
        nextReplies.TryDequeue(out var next) ? next
        : repliesByToken.TryGetValue(pushToken, out var forToken) ? forToken
        : ApnsReply.Ok;

    private void Record(RecordedPush push)
    {
        lock (gate)
        {
            pushes.Add(push);
            for (var i = waiters.Count - 1; i >= 0; i--)
            {
                if (waiters[i].Count <= pushes.Count)
                {
                    waiters[i].Reached.TrySetResult();
                    waiters.RemoveAt(i);
                }
            }
        }
    }
}

/// <summary>The root (and intermediate) client certificates must chain to.</summary>
public sealed record ClientTrust(X509Certificate2 Root, X509Certificate2? Intermediate);

/// <summary>
/// A scripted APNs answer: the status, the <c>reason</c> of the JSON error body, an optional Retry-After,
/// whether the emulator then closes the connection, and a 410's <c>timestamp</c> (null: the time of the answer).
/// </summary>
public sealed record ApnsReply(int StatusCode, string? Reason = null, TimeSpan? RetryAfter = null, bool CloseConnection = false, DateTimeOffset? InvalidSince = null)
{
    public static ApnsReply Ok { get; } = new(StatusCodes.Status200OK);

    /// <summary>410 Unregistered, "the device token is inactive for the specified topic", found so when answered.</summary>
    public static ApnsReply Unregistered { get; } = new(StatusCodes.Status410Gone, "Unregistered");

    /// <summary>410 Unregistered, the token found no longer valid at <paramref name="invalidSince"/> (the body's <c>timestamp</c>).</summary>
    public static ApnsReply UnregisteredSince(DateTimeOffset invalidSince) => Unregistered with { InvalidSince = invalidSince };

    public static ApnsReply BadDeviceToken { get; } = new(StatusCodes.Status400BadRequest, "BadDeviceToken");

    public static ApnsReply DeviceTokenNotForTopic { get; } = new(StatusCodes.Status400BadRequest, "DeviceTokenNotForTopic");

    public static ApnsReply BadCertificate { get; } = new(StatusCodes.Status403Forbidden, "BadCertificate");

    public static ApnsReply InternalServerError { get; } = new(StatusCodes.Status500InternalServerError, "InternalServerError");

    public static ApnsReply ServiceUnavailable { get; } = new(StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable");

    /// <summary>429; <paramref name="retryAfter"/> is sent in whole seconds.</summary>
    public static ApnsReply TooManyRequests(TimeSpan? retryAfter = null) => new(StatusCodes.Status429TooManyRequests, "TooManyRequests", retryAfter);
}

/// <summary>One request as the emulator saw it.</summary>
/// <param name="Protocol">As Kestrel reports it, e.g. <c>HTTP/2</c>.</param>
/// <param name="PushToken">The token from the path; empty for other paths.</param>
/// <param name="Headers">Request headers, names case-insensitive.</param>
/// <param name="ClientCertificateSubject">The TLS client certificate's subject.</param>
/// <param name="ConnectionId">Kestrel's id of the TCP connection the request came on.</param>
/// <param name="ClientCertificateSerialNumber">The TLS client certificate's serial number: which of two renewals of one pass type.</param>
/// <param name="Status">The status the emulator answered.</param>
/// <param name="ApnsId">The <c>apns-id</c> the emulator answered with.</param>
public sealed record RecordedPush(
    string Method,
    string Path,
    string Protocol,
    string PushToken,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    string? ClientCertificateSubject,
    string ConnectionId,
    DateTimeOffset ReceivedAt,
    string? ClientCertificateSerialNumber = null,
    int Status = 0,
    string? ApnsId = null);
