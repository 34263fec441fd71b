using System.Net;
using System.Net.Sockets;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>
/// A loyalty backend's points webhook endpoint on loopback, as the service's own contract describes what it is sent
/// (README, "Points webhook": a POST of the <c>points.redemption.requested</c> JSON with <c>Idempotency-Key</c> and
/// <c>X-WalletPasses-Signature</c>; a 5xx is retried): records every request, failing the first few with 503.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly int _failuresBeforeSuccess;
    private readonly List<Received> _received = [];

    public WebhookReceiver(int failuresBeforeSuccess)
    {
        _failuresBeforeSuccess = failuresBeforeSuccess;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/points-redemptions/");
        }

        _listener.Prefixes.Add(Url.AbsoluteUri);
        _listener.Start();
        _ = ServeAsync();
    }

    public Uri Url { get; }

    public IReadOnlyList<Received> Requests
    {
        get
        {
            lock (_received)
            {
                return _received.ToArray();
            }
        }
    }

    /// <summary>Waits (bounded) until this many requests arrived.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(int count)
    {
        await Eventually.HoldsAsync(() => Requests.Count >= count, $"{count} webhook requests arrive");
        return Requests;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new StreamReader(context.Request.InputStream);
            var received = new Received(
                await body.ReadToEndAsync(),
                context.Request.Headers["X-WalletPasses-Signature"],
                context.Request.Headers["Idempotency-Key"],
                context.Request.ContentType);
            int attempt;
            lock (_received)
            {
                _received.Add(received);
                attempt = _received.Count;
            }

            context.Response.StatusCode = attempt <= _failuresBeforeSuccess ? 503 : 200;
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();

    public sealed record Received(string Body, string? Signature, string? IdempotencyKey, string? ContentType);
}
