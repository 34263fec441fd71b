using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Functions;
using WalletPasses.OpenApi;
using WalletPasses.Tests.Functions;

namespace WalletPasses.Tests.OpenApi;

/// <summary>
/// The document under the Functions app, its HTTP function invoked as the isolated worker's ASP.NET Core
/// integration invokes it (azure-functions-dotnet-worker, extensions/Worker.Extensions.Http.AspNetCore).
/// </summary>
public sealed partial class OpenApiFunctionTests(FunctionsAppFixture functions) : IClassFixture<FunctionsAppFixture>
{
    [Fact]
    public async Task The_functions_app_serves_the_standalone_hosts_document_anonymously()
    {
        var served = await functions.InvokeHttpAsync(functions.Function<PlatformFunctions>().GetOpenApiDocument, "GET", OpenApiDocument.Route);

        Assert.Equal(200, served.StatusCode);
        using var standalone = functions.Standalone.Factory.CreateClient();
        Assert.Equal(await standalone.GetStringAsync(new Uri(OpenApiDocument.Route, UriKind.Relative)), served.Body);
    }

    [Fact]
    public async Task The_document_is_generated_from_the_routes_alone_so_a_host_whose_storage_is_unreachable_serves_it()
    {
        // Every storage endpoint on a closed port: any storage call would fail (after the SDK's retries).
        var settings = functions.Standalone.Factory.Settings.ToDictionary(setting => setting.Key, setting => setting.Value);
        settings["AzureWebJobsStorage"] = StoragePort().Replace(settings["AzureWebJobsStorage"]!, "127.0.0.1:9/");
        using var host = FunctionsAppFixture.BuildHost(settings);
        host.Services.GetRequiredService<ApiEndpoints>(); // as on the function's first request

        var document = System.Text.Encoding.UTF8.GetString(await host.Services.GetRequiredService<OpenApiDocumentCache>().GetAsync(CancellationToken.None));

        using var standalone = functions.Standalone.Factory.CreateClient();
        Assert.Equal(await standalone.GetStringAsync(new Uri(OpenApiDocument.Route, UriKind.Relative)), document);
    }

    [GeneratedRegex(@"127\.0\.0\.1:[0-9]+/")]
    private static partial Regex StoragePort();
}
