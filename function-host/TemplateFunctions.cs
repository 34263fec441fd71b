using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WalletPasses.Conformance;

namespace WalletPasses.Functions;

/// <summary>The backend's look at a template draft (<see cref="TemplateDraftApi"/>).</summary>
public sealed class TemplateFunctions(ApiEndpoints api)
{
    [Function("GetTemplateDraftReport")]
    public Task<IResult> GetTemplateDraftReport([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = TemplateDraftApi.ReportRoute)] HttpRequest request) =>
        api.InvokeAsync(request, TemplateDraftApi.ReportRoute);

    [Function("GetTemplateDraftPreview")]
    public Task<IResult> GetTemplateDraftPreview([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = TemplateDraftApi.PreviewRoute)] HttpRequest request) =>
        api.InvokeAsync(request, TemplateDraftApi.PreviewRoute);
}
