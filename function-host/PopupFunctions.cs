using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WalletPasses.Popups;
using WalletPasses.Staff;

namespace WalletPasses.Functions;

/// <summary>The backend's pop-up routes, per program and for the default program, and the staff page's list (<see cref="PopupsApi"/>).</summary>
public sealed class PopupFunctions(ApiEndpoints api)
{
    [Function("CreateProgramPopup")]
    public Task<IResult> CreateProgramPopup([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PopupsApi.ProgramPopupsRoute)] HttpRequest request) =>
        api.InvokeAsync(request, PopupsApi.ProgramPopupsRoute);

    [Function("ListProgramPopups")]
    public Task<IResult> ListProgramPopups([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PopupsApi.ProgramPopupsRoute)] HttpRequest request) =>
        api.InvokeAsync(request, PopupsApi.ProgramPopupsRoute);

    [Function("GetProgramPopup")]
    public Task<IResult> GetProgramPopup([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PopupsApi.ProgramPopupRoute)] HttpRequest request) =>
        api.InvokeAsync(request, PopupsApi.ProgramPopupRoute);

    [Function("UpdateProgramPopup")]
    public Task<IResult> UpdateProgramPopup([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = PopupsApi.ProgramPopupRoute)] HttpRequest request) =>
        api.InvokeAsync(request, PopupsApi.ProgramPopupRoute);

    [Function("DeleteProgramPopup")]
    public Task<IResult> DeleteProgramPopup([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = PopupsApi.ProgramPopupRoute)] HttpRequest request) =>
        api.InvokeAsync(request, PopupsApi.ProgramPopupRoute);

    [Function("CreatePopup")]
    public Task<IResult> CreatePopup([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PopupsApi.PopupsRoute)] HttpRequest request) =>
        api.InvokeAsync(request, PopupsApi.PopupsRoute);

    [Function("ListPopups")]
    public Task<IResult> ListPopups([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PopupsApi.PopupsRoute)] HttpRequest request) =>
        api.InvokeAsync(request, PopupsApi.PopupsRoute);

    [Function("GetPopup")]
    public Task<IResult> GetPopup([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PopupsApi.PopupRoute)] HttpRequest request) =>
        api.InvokeAsync(request, PopupsApi.PopupRoute);

    [Function("UpdatePopup")]
    public Task<IResult> UpdatePopup([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = PopupsApi.PopupRoute)] HttpRequest request) =>
        api.InvokeAsync(request, PopupsApi.PopupRoute);

    [Function("DeletePopup")]
    public Task<IResult> DeletePopup([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = PopupsApi.PopupRoute)] HttpRequest request) =>
        api.InvokeAsync(request, PopupsApi.PopupRoute);

    [Function("ListCurrentPopupsForStaff")]
    public Task<IResult> ListCurrentPopupsForStaff([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = StaffPopupsApi.StaffPopupsRoute)] HttpRequest request) =>
        api.InvokeAsync(request, StaffPopupsApi.StaffPopupsRoute);
}
