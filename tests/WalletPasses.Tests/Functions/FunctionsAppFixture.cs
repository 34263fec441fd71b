using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WalletPasses.Functions;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Functions;

/// <summary>
/// The Functions app's services, composed exactly as <see cref="FunctionsProgram"/> composes them, over the
/// storage a standalone app of the same settings has initialised. The host itself (Core Tools) cannot run
/// here, so tests invoke the function classes with inputs in the form the worker binds them.
/// </summary>
public sealed class FunctionsAppFixture : IAsyncLifetime
{
    public AppFixture Standalone { get; } = new();

    public IHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Standalone.InitializeAsync();
        Host = BuildHost(Standalone.Factory.Settings);
    }

    /// <summary>The Functions app's host over the given settings, composed as <see cref="FunctionsProgram"/> does (not started).</summary>
    public static IHost BuildHost(IEnumerable<KeyValuePair<string, string?>> settings) => CreateBuilder(settings).Build();

    /// <summary>The Functions app's host builder over the given settings, its services composed as <see cref="FunctionsProgram"/> does.</summary>
    public static FunctionsApplicationBuilder CreateBuilder(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Environment.EnvironmentName = "Testing"; // as the standalone fixture: Production refuses the test PKI's certificates
        builder.ConfigureFunctionsWebApplication();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddWalletPassesFunctions(builder.Configuration);
        return builder;
    }

    public async Task DisposeAsync()
    {
        Host.Dispose();
        await Standalone.DisposeAsync();
    }

    /// <summary>A function class as the worker creates it: constructor arguments from the app's services.</summary>
    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(Host.Services);

    /// <summary>
    /// Calls an HTTP function the way the worker's ASP.NET Core integration does: an <see cref="HttpRequest"/>
    /// with the request's services in, the returned <see cref="IResult"/> executed on the same context
    /// (azure-functions-dotnet-worker, extensions/Worker.Extensions.Http.AspNetCore/src/FunctionsMiddleware/FunctionsHttpProxyingMiddleware.cs:
    /// after the function ran, <c>TryHandleHttpResult</c> executes an invocation result that is an <c>IResult</c> with
    /// <c>ExecuteAsync(httpContext)</c>, the HttpContext the function's <see cref="HttpRequest"/> belongs to).
    /// </summary>
    public async Task<FunctionResponse> InvokeHttpAsync(
        Func<HttpRequest, Task<IResult>> function, string method, string path, string? body = null, string? authorization = null)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("wallet.test");
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.ContentType = "application/json";
            context.Request.ContentLength = bytes.Length;
            context.Request.Body = new MemoryStream(bytes);
        }

        var responseBody = new MemoryStream();
        context.Response.Body = responseBody;
        var result = await function(context.Request);
        await result.ExecuteAsync(context);
        var allow = context.Response.Headers.Allow;
        return new FunctionResponse(context.Response.StatusCode, context.Response.ContentType, Encoding.UTF8.GetString(responseBody.ToArray()), allow.Count == 0 ? null : allow.ToString());
    }
}
