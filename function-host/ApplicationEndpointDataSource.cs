using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace WalletPasses.Functions;

/// <summary>
/// The <see cref="EndpointDataSource"/> service under the Functions host: the application's endpoints, as the
/// standalone host's lists them, because the OpenAPI document is generated from this service (ApiExplorer).
/// <see cref="ApiEndpoints"/> hands them over once mapped (this source resolves nothing, so nothing the
/// endpoints' pipeline builds can wait on it). The worker's routing matches on its own builder's sources
/// (the functions), so requests still reach the functions.
/// </summary>
public sealed class ApplicationEndpointDataSource : EndpointDataSource
{
    private EndpointDataSource? _application;

    public override IReadOnlyList<Endpoint> Endpoints =>
        _application?.Endpoints ?? throw new InvalidOperationException("The application's endpoints are listed once ApiEndpoints has mapped them.");

    /// <summary>The application's endpoints are fixed once mapped.</summary>
    public override IChangeToken GetChangeToken() => NullChangeToken.Singleton;

    internal void Use(EndpointDataSource application) => _application = application;
}
