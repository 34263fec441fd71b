using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WalletPasses.Publishing;

namespace WalletPasses.Functions;

/// <summary>The backend's template publishing routes (<see cref="TemplatePublishingApi"/>).</summary>
public sealed class TemplateFunctions(ApiEndpoints api)
{
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
}
