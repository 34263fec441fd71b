using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>
/// A pass-through HTTP proxy in front of Azurite's Table endpoint that notes every request an app makes and the
/// entity operations in it: one line per request, and for an entity group transaction (<c>$batch</c>, one request of
/// up to 100 operations, "Performing entity group transactions", Table service REST reference) the request line of
/// each operation inside. Apps pointed at <see cref="Port"/> as their table endpoint cannot tell it from Azurite; while
/// Azurite is down the proxy drops the connection, as Azurite's closed port would refuse it.
/// </summary>
public sealed partial class TableRequestCounter : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _forward = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(5) });
    private readonly Uri _target;
    private readonly ConcurrentQueue<TableRequest> _requests = new();
    private Interception? _interception;

    private TableRequestCounter(Uri target)
    {
        _target = target;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(ForwardAsync);
    }

    public int Port { get; private set; }

    /// <summary>
    /// Runs <paramref name="action"/> once, before forwarding the first request that <paramref name="matches"/> (given
    /// its operations, as in <see cref="TableRequest.Operations"/>, and its body), and holds that request until the
    /// action completes: a test puts another writer's commit between two storage calls of the app. The action's own
    /// requests pass straight through.
    /// </summary>
    public void Before(Func<IReadOnlyList<string>, string, bool> matches, Func<Task> action) =>
        _interception = new Interception(matches, action);

    /// <summary>Every request forwarded so far.</summary>
    public IReadOnlyCollection<TableRequest> Requests => _requests.ToArray();

    /// <param name="target">Azurite's table endpoint, e.g. http://127.0.0.1:10002/.</param>
    public static async Task<TableRequestCounter> StartAsync(Uri target)
    {
        var counter = new TableRequestCounter(target);
        await counter._app.StartAsync();
        counter.Port = new Uri(counter._app.Urls.Single()).Port;
        return counter;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _forward.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        var forwarded = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_target, request.Path.Value + request.QueryString.Value));
        if (body.Length > 0 || request.ContentLength is not null || request.ContentType is not null)
        {
            forwarded.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || forwarded.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                continue;
            }

            forwarded.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }

        var line = request.Method + " " + Uri.UnescapeDataString(request.Path.Value ?? "");
        IReadOnlyList<string> operations = request.Path.Value?.EndsWith("/$batch", StringComparison.Ordinal) == true
            ? [.. InnerRequestLine().Matches(Encoding.UTF8.GetString(body.ToArray())).Select(m => m.Groups[1].Value + " " + Uri.UnescapeDataString(m.Groups[2].Value))]
            : [line];
        if (_interception is { } interception && interception.Matches(operations, Encoding.UTF8.GetString(body.ToArray())) && Interlocked.CompareExchange(ref _interception, null, interception) == interception)
        {
            await interception.Action();
        }

        HttpResponseMessage response;
        try
        {
            response = await _forward.SendAsync(forwarded, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            context.Abort(); // storage is down: the app sees its connection fail, as without the proxy
            return;
        }

        _requests.Enqueue(new TableRequest(line, operations, (int)response.StatusCode) { Query = Uri.UnescapeDataString(request.QueryString.Value ?? "") });

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    private sealed record Interception(Func<IReadOnlyList<string>, string, bool> Matches, Func<Task> Action);

    // An operation inside a batch: "PUT http://host/account/table(PartitionKey='p',RowKey='r') HTTP/1.1".
    [GeneratedRegex(@"^(GET|POST|PUT|PATCH|MERGE|DELETE) https?://[^/\s]+(/\S*) HTTP/1\.1\r?$", RegexOptions.Multiline)]
    private static partial Regex InnerRequestLine();
}

/// <summary>One request to the table endpoint: its request line, the operations it carried (itself, or a batch's), Azurite's status.</summary>
public sealed record TableRequest(string Line, IReadOnlyList<string> Operations, int Status)
{
    /// <summary>The query string, unescaped (a query's <c>$filter</c>).</summary>
    public string Query { get; init; } = "";
}
