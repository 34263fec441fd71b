using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WalletPasses.Conformance;
using WalletPasses.Publishing;

namespace WalletPasses.Functions;

/// <summary>The backend's template routes: a draft's report and preview (<see cref="TemplateDraftApi"/>), publishing
/// (<see cref="TemplatePublishingApi"/>) and retiring the program (<see cref="ProgramRetirementApi"/>).</summary>
public sealed class TemplateFunctions(ApiEndpoints api)
{
    [Function("GetTemplateDraftReport")]
    public Task<IResult> GetTemplateDraftReport([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = TemplateDraftApi.ReportRoute)] HttpRequest request) =>
        api.InvokeAsync(request, TemplateDraftApi.ReportRoute);

    [Function("GetTemplateDraftPreview")]
    public Task<IResult> GetTemplateDraftPreview([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = TemplateDraftApi.PreviewRoute)] HttpRequest request) =>
        api.InvokeAsync(request, TemplateDraftApi.PreviewRoute);

    [Function("GetProgramTemplate")]
    public Task<IResult> GetProgramTemplate([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = TemplatePublishingApi.TemplateRoute)] HttpRequest request) =>
        api.InvokeAsync(request, TemplatePublishingApi.TemplateRoute);

    [Function("PutProgramTemplateDraft")]
    public Task<IResult> PutProgramTemplateDraft([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = TemplatePublishingApi.TemplateRoute)] HttpRequest request) =>
        api.InvokeAsync(request, TemplatePublishingApi.TemplateRoute);

    [Function("GetProgramTemplateDraftImpact")]
    public Task<IResult> GetProgramTemplateDraftImpact([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = TemplatePublishingApi.ImpactRoute)] HttpRequest request) =>
        api.InvokeAsync(request, TemplatePublishingApi.ImpactRoute);

    [Function("PublishProgramTemplate")]
    public Task<IResult> PublishProgramTemplate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = TemplatePublishingApi.PublishRoute)] HttpRequest request) =>
        api.InvokeAsync(request, TemplatePublishingApi.PublishRoute);

    [Function("GetTemplatePublication")]
    public Task<IResult> GetTemplatePublication([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = TemplatePublishingApi.PublicationRoute)] HttpRequest request) =>
        api.InvokeAsync(request, TemplatePublishingApi.PublicationRoute);

    [Function("RetireProgram")]
    public Task<IResult> RetireProgram([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ProgramRetirementApi.RetireRoute)] HttpRequest request) =>
        api.InvokeAsync(request, ProgramRetirementApi.RetireRoute);
}
