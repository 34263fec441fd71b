using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Hosting;
using WalletPasses.Http;

namespace WalletPasses.Functions;

/// <summary>
/// Runs an HTTP function's request through the very endpoint the standalone host maps for the same route:
/// the same handler, parameter binding, authentication, authorization, rate limits and problem details.
/// Each HTTP function names its route (the constant its capability's API declares) and awaits
/// <see cref="InvokeAsync"/>, which answers on the request's own response.
/// </summary>
public sealed class ApiEndpoints
{
    private readonly Dictionary<string, List<(RouteEndpoint Endpoint, TemplateMatcher Matcher)>> _byRoute = new(StringComparer.OrdinalIgnoreCase);
    private readonly RequestDelegate _pipeline;

    private static readonly Endpoint NotFound = new(
        context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        },
        EndpointMetadataCollection.Empty,
        "404 Not Found");

    public ApiEndpoints(IServiceProvider services)
    {
        var collector = new EndpointCollector(services);
        collector.MapGroup("/" + ApiRoutes.Prefix).MapWalletPassesApis();
        DataSource = new CompositeEndpointDataSource(collector.DataSources);
        services.GetService<ApplicationEndpointDataSource>()?.Use(DataSource);
        foreach (var endpoint in collector.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>())
        {
            var route = ApiRoutes.Relative(endpoint.RoutePattern.RawText ?? "");
            if (!_byRoute.TryGetValue(route, out var endpoints))
            {
                _byRoute[route] = endpoints = [];
            }

            endpoints.Add((endpoint, new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), [])));
        }

        var app = new ApplicationBuilder(services);
        app.UseWalletPasses();
        app.Run(context => context.GetEndpoint()!.RequestDelegate!(context));
        _pipeline = app.Build();
    }

    /// <summary>The application's endpoints, as the standalone host's routing has them (the OpenAPI document is generated from them).</summary>
    public EndpointDataSource DataSource { get; }

    /// <summary>Every (route, methods) the application maps, routes relative to the <c>api</c> prefix.</summary>
    public IEnumerable<(string Route, IReadOnlyList<string> Methods)> Routes =>
        _byRoute.SelectMany(pair => pair.Value.Select(e => (pair.Key, Methods(e.Endpoint))));

    /// <summary>Answers the request with the application's endpoint for <paramref name="route"/>; the returned result is empty.</summary>
    public async Task<IResult> InvokeAsync(HttpRequest request, string route)
    {
        await ExecuteAsync(request.HttpContext, route);
        return Results.Empty;
    }

    /// <summary>
    /// Answers a request no route function took: the host matched none of their (route, methods), so it is for a path the
    /// application does not have (404) or for a method its route does not take (405 with <c>Allow</c>), answered as the
    /// standalone host's routing answers them. Should the host ever hand it a request a route does take, that route serves it.
    /// </summary>
    public async Task<IResult> InvokeUnmatchedAsync(HttpRequest request)
    {
        await ExecuteAsync(request.HttpContext, _byRoute.Values.SelectMany(endpoints => endpoints));
        return Results.Empty;
    }

    private Task ExecuteAsync(HttpContext context, string route) =>
        // A feature that is switched off (Google Wallet without an issuer) maps no endpoint for its routes: 404.
        ExecuteAsync(context, _byRoute.GetValueOrDefault(route) ?? []);

    private async Task ExecuteAsync(HttpContext context, IEnumerable<(RouteEndpoint Endpoint, TemplateMatcher Matcher)> candidates)
    {
        var allowed = new List<string>();
        foreach (var (endpoint, matcher) in candidates)
        {
            var values = new RouteValueDictionary();
            if (!matcher.TryMatch(context.Request.Path, values))
            {
                continue;
            }

            if (Methods(endpoint).Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase))
            {
                context.Request.RouteValues = values;
                context.SetEndpoint(endpoint);
                await _pipeline(context);
                return;
            }

            allowed.AddRange(Methods(endpoint));
        }

        // As ASP.NET Core's routing does (its 405 and 404 endpoints set the status, and the Allow header), leaving the
        // body to the pipeline's status code pages: the same problem details, headers and trace id as the standalone host's.
        context.SetEndpoint(allowed.Count == 0 ? NotFound : MethodNotAllowed(allowed.Distinct(StringComparer.OrdinalIgnoreCase)));
        await _pipeline(context);
    }

    private static Endpoint MethodNotAllowed(IEnumerable<string> allowed)
    {
        var allow = string.Join(", ", allowed);
        return new Endpoint(
            context =>
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                context.Response.Headers.Allow = allow;
                return Task.CompletedTask;
            },
            EndpointMetadataCollection.Empty,
            "405 HTTP Method Not Supported");
    }

    private static IReadOnlyList<string> Methods(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];

    /// <summary>Collects the endpoints the application's <c>Map…Api</c> methods declare, without a web host.</summary>
    private sealed class EndpointCollector(IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;

        public ICollection<EndpointDataSource> DataSources { get; } = [];

        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(services);
    }
}
