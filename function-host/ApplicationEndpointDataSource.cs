using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace WalletPasses.Functions;

/// <summary>
/// The <see cref="EndpointDataSource"/> service under the Functions host: the worker's own endpoints plus the
/// application's (<see cref="ApiEndpoints"/>), as the standalone host's lists them, because the OpenAPI document
/// is generated from this service (ApiExplorer). Routing matches on its own builder's sources, so requests still
/// reach the functions. The application's endpoints are read when listed, not when this is created: services
/// that <see cref="ApiEndpoints"/> itself builds (the authorization middleware's policy cache) take this source.
/// </summary>
public sealed class ApplicationEndpointDataSource(IServiceProvider services, EndpointDataSource host) : EndpointDataSource
{
    public override IReadOnlyList<Endpoint> Endpoints => [.. services.GetRequiredService<ApiEndpoints>().DataSource.Endpoints, .. host.Endpoints];

    /// <summary>The application's endpoints are fixed once mapped; only the worker's may change.</summary>
    public override IChangeToken GetChangeToken() => host.GetChangeToken();
}
