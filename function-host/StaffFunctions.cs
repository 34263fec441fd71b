using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WalletPasses.Staff;

namespace WalletPasses.Functions;

/// <summary>Store staff: validations, redemptions, runtime staff keys and the staff page with its assets.</summary>
public sealed class StaffFunctions(ApiEndpoints api)
{
    [Function("ValidatePass")]
    public Task<IResult> ValidatePass([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidationsApi.ValidationsRoute)] HttpRequest request) =>
        api.InvokeAsync(request, ValidationsApi.ValidationsRoute);

    [Function("RequestRedemption")]
    public Task<IResult> RequestRedemption([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RedemptionsApi.RedemptionsRoute)] HttpRequest request) =>
        api.InvokeAsync(request, RedemptionsApi.RedemptionsRoute);

    [Function("CreateStaffKey")]
    public Task<IResult> CreateStaffKey([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = StaffKeysApi.KeysRoute)] HttpRequest request) =>
        api.InvokeAsync(request, StaffKeysApi.KeysRoute);

    [Function("ListStaffKeys")]
    public Task<IResult> ListStaffKeys([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = StaffKeysApi.KeysRoute)] HttpRequest request) =>
        api.InvokeAsync(request, StaffKeysApi.KeysRoute);

    [Function("RevokeStaffKey")]
    public Task<IResult> RevokeStaffKey([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = StaffKeysApi.KeyRoute)] HttpRequest request) =>
        api.InvokeAsync(request, StaffKeysApi.KeyRoute);

    [Function("GetStaffIdentity")]
    public Task<IResult> GetStaffIdentity([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = StaffPageApi.MeRoute)] HttpRequest request) =>
        api.InvokeAsync(request, StaffPageApi.MeRoute);

    [Function("ListVoidedPasses")]
    public Task<IResult> ListVoidedPasses([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = StaffPageApi.VoidedRoute)] HttpRequest request) =>
        api.InvokeAsync(request, StaffPageApi.VoidedRoute);

    [Function("StaffPage")]
    public Task<IResult> StaffPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = StaffPageApi.PageRoute)] HttpRequest request) =>
        api.InvokeAsync(request, StaffPageApi.PageRoute);

    [Function("StaffPageScript")]
    public Task<IResult> StaffPageScript([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = StaffPageApi.ScriptRoute)] HttpRequest request) =>
        api.InvokeAsync(request, StaffPageApi.ScriptRoute);

    [Function("StaffPageStyles")]
    public Task<IResult> StaffPageStyles([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = StaffPageApi.StylesRoute)] HttpRequest request) =>
        api.InvokeAsync(request, StaffPageApi.StylesRoute);

    [Function("StaffPageQrDecoder")]
    public Task<IResult> StaffPageQrDecoder([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = StaffPageApi.QrDecoderRoute)] HttpRequest request) =>
        api.InvokeAsync(request, StaffPageApi.QrDecoderRoute);

    [Function("StaffPageServiceWorker")]
    public Task<IResult> StaffPageServiceWorker([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = StaffPageApi.ServiceWorkerRoute)] HttpRequest request) =>
        api.InvokeAsync(request, StaffPageApi.ServiceWorkerRoute);
}
