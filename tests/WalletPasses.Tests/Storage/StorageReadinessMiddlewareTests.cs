using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Storage;
using WalletPasses.Templates;

namespace WalletPasses.Tests.Storage;

/// <summary>
/// A request that arrives while the app stops for an invalid program template (the set-up failed for good, and
/// <c>StorageInitializer</c> stops the host) answers 503 with Retry-After, like every other 503 of the service
/// (RFC 9110 15.6.4: a client may retry after it), and never reaches its endpoint. The readiness here is a stub:
/// what is under test is the pipeline's answer to a set-up that failed for this reason, not the storage.
/// </summary>
public sealed class StorageReadinessMiddlewareTests
{
    [Fact]
    public async Task A_request_while_an_invalid_template_stops_the_app_gets_503_with_retry_after_and_no_endpoint_runs()
    {
        var failed = Task.FromException(new InvalidTemplateException("template.json is not a valid template: 'x' is an invalid start of a value."));
        var (context, endpointRan) = await SendAsync(failed);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("30", context.Response.Headers.RetryAfter.ToString());
        Assert.False(endpointRan);
        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(((MemoryStream)context.Response.Body).ToArray()).RootElement;
        Assert.Equal("Not ready", problem.GetProperty("title").GetString());
        // The template's own error goes to the operator's log, not to whoever asked.
        Assert.DoesNotContain("invalid start of a value", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_once_storage_is_ready_reaches_its_endpoint()
    {
        var (context, endpointRan) = await SendAsync(Task.CompletedTask);

        Assert.True(endpointRan);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }

    private static async Task<(HttpContext Context, bool EndpointRan)> SendAsync(Task readiness)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IStorageReadiness>(new FixedReadiness(readiness))
            .BuildServiceProvider();
        var endpointRan = false;
        var pipeline = new ApplicationBuilder(services);
        pipeline.UseStorageReadiness();
        pipeline.Run(_ =>
        {
            endpointRan = true;
            return Task.CompletedTask;
        });
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        await pipeline.Build()(context);
        return (context, endpointRan);
    }

    /// <summary>A set-up whose outcome is already known.</summary>
    private sealed class FixedReadiness(Task outcome) : IStorageReadiness
    {
        public Task WhenReadyAsync(CancellationToken cancellationToken) => outcome;
    }
}
