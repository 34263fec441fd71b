using System.CodeDom.Compiler;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Tests.Google;

namespace WalletPasses.Tests.Hosting;

/// <summary>
/// Cold start (issue 13): every route's request delegate is generated at build time (the request delegate generator,
/// <c>EnableRequestDelegateGenerator</c>), so a starting instance compiles no expression tree per route before its
/// first answer. A handler the generator cannot take falls back to the runtime factory silently; this names it.
/// </summary>
public sealed class GeneratedRequestDelegateTests(GoogleAppFixture google) : IClassFixture<GoogleAppFixture>
{
    /// <summary>
    /// The generator's assembly, whose full name it writes as the tool of a GeneratedCodeAttribute into each endpoint's
    /// metadata ("Microsoft.AspNetCore.Http.RequestDelegateGenerator, Version=…", aspnetcore RequestDelegateGenerator).
    /// </summary>
    private const string Generator = "Microsoft.AspNetCore.Http.RequestDelegateGenerator,";

    [Fact]
    public void Every_route_the_host_maps_has_a_generated_request_delegate()
    {
        var endpoints = google.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, endpoint => Assert.True(
            endpoint.Metadata.OfType<GeneratedCodeAttribute>().Any(generated => generated.Tool?.StartsWith(Generator, StringComparison.Ordinal) == true),
            $"{endpoint.DisplayName}: its request delegate is built at run time"));
    }
}
