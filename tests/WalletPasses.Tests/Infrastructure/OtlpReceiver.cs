using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>
/// A collector's OTLP/HTTP endpoint on loopback, as the OTLP specification defines it ("OTLP/HTTP": POST to
/// <c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>, body a binary protobuf Export*ServiceRequest with
/// <c>Content-Type: application/x-protobuf</c>; success is 200 with an Export*ServiceResponse, whose empty encoding
/// is zero bytes). Anything else gets what a collector answers: 404 for another path, 415 for another content type.
/// Keeps every accepted body, so a test can look for what must never be exported.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private static readonly string[] SignalPaths = ["/v1/traces", "/v1/metrics", "/v1/logs"];

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _exports = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>The base URL, what <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names (the exporter appends the signal's path).</summary>
    public Uri Endpoint { get; private set; } = null!;

    public int Count(string path) => _exports.Count(e => e.Path == path);

    public IEnumerable<byte[]> Bodies => _exports.Select(e => e.Body);

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var receiver = new OtlpReceiver(builder.Build());
        receiver._app.Run(receiver.HandleAsync);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Endpoint = new Uri(address.TrimEnd('/') + "/");
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (!HttpMethods.IsPost(context.Request.Method) || !SignalPaths.Contains(path))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (context.Request.ContentType != "application/x-protobuf")
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        _exports.Enqueue((path, body.ToArray()));
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
    }
}
