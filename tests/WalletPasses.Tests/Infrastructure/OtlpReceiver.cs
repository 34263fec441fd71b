using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>
/// A collector's OTLP/HTTP endpoint on loopback, as the OTLP specification defines it
/// (https://github.com/open-telemetry/opentelemetry-proto/blob/main/docs/specification.md, "OTLP/HTTP"): a POST to
/// <c>/v1/traces</c>, <c>/v1/metrics</c> or <c>/v1/logs</c> whose body is an Export*ServiceRequest, binary protobuf
/// (<c>Content-Type: application/x-protobuf</c>) or JSON (<c>application/json</c>; "Server implementations SHOULD
/// accept" both), gzip-compressed when the request says <c>Content-Encoding: gzip</c>; success is 200 with an
/// Export*ServiceResponse in the request's own content type ("The server MUST use the same Content-Type in the
/// response as it received in the request"), whose empty encoding is zero bytes in protobuf and <c>{}</c> in JSON.
/// Anything else gets what a collector answers: 404 for another path, 415 for another content type.
/// Keeps every accepted body, uncompressed, so a test can look for what must never be exported.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private const string ProtobufMediaType = "application/x-protobuf";
    private const string JsonMediaType = "application/json";
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

        var mediaType = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType) ? contentType.MediaType : null;
        if (mediaType is not (ProtobufMediaType or JsonMediaType))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        // A body whose secrets were looked for in its compressed bytes would pass any such test.
        var gzipped = string.Equals(context.Request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase);
        await using var gunzip = gzipped ? new GZipStream(context.Request.Body, CompressionMode.Decompress, leaveOpen: true) : null;
        using var body = new MemoryStream();
        await (gunzip ?? context.Request.Body).CopyToAsync(body);
        _exports.Enqueue((path, body.ToArray()));
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = mediaType;
        if (mediaType == JsonMediaType)
        {
            await context.Response.WriteAsync("{}");
        }
    }
}
