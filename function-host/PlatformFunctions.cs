using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WalletPasses.Barcodes;
using WalletPasses.Health;
using WalletPasses.OpenApi;
using WalletPasses.Templates;

namespace WalletPasses.Functions;

/// <summary>Health, the barcode public keys offline verifiers fetch, the template images passes link to, and the OpenAPI document.</summary>
public sealed class PlatformFunctions(ApiEndpoints api)
{
    [Function("Health")]
    public Task<IResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HealthApi.HealthRoute)] HttpRequest request) =>
        api.InvokeAsync(request, HealthApi.HealthRoute);

    [Function("GetBarcodeKeys")]
    public Task<IResult> GetBarcodeKeys([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = BarcodeKeysApi.KeysRoute)] HttpRequest request) =>
        api.InvokeAsync(request, BarcodeKeysApi.KeysRoute);

    [Function("GetTemplateImage")]
    public Task<IResult> GetTemplateImage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = TemplateImagesApi.ImageRoute)] HttpRequest request) =>
        api.InvokeAsync(request, TemplateImagesApi.ImageRoute);

    [Function("GetOpenApiDocument")]
    public Task<IResult> GetOpenApiDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OpenApiDocumentation.DocumentRoute)] HttpRequest request) =>
        api.InvokeAsync(request, OpenApiDocumentation.DocumentRoute);
}
