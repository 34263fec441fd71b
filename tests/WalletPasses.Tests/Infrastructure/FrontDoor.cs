namespace WalletPasses.Tests.Infrastructure;

/// <summary>
/// What stands in front of a scaled-out app (a load balancer): requests to the public base URL go to the instances
/// in turn; one that refuses the connection (killed, restarting) is skipped for the next. A request is only sent
/// again when its connection was refused, so nothing is sent twice by the front door itself.
/// </summary>
public sealed class FrontDoor(Func<IReadOnlyList<Uri>> instances) : DelegatingHandler(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) })
{
    private int _next;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var publicUri = request.RequestUri!;
        var content = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var live = instances();
        for (var attempt = 0; ; attempt++)
        {
            var instance = live[(int)((uint)Interlocked.Increment(ref _next) % live.Count)];
            var forwarded = new HttpRequestMessage(request.Method, new Uri(instance, publicUri.PathAndQuery));
            foreach (var header in request.Headers)
            {
                forwarded.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            if (content is not null)
            {
                forwarded.Content = new ByteArrayContent(content);
                foreach (var header in request.Content!.Headers)
                {
                    forwarded.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            try
            {
                return await base.SendAsync(forwarded, cancellationToken);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError && attempt < 20)
            {
                await Task.Delay(100, cancellationToken); // that instance is down: the next one
                live = instances();
            }
        }
    }
}
