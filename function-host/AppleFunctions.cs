using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WalletPasses.Apple;

namespace WalletPasses.Functions;

/// <summary>
/// The customer's pass download and the backend's token revocation (<see cref="ApplePassApi"/>, the latter behind
/// the backend key, checked by the application) and Apple's five PassKit web service endpoints
/// (<see cref="PassKitApi"/>). Anonymous to the host: devices authenticate per pass with <c>ApplePass</c> tokens.
/// </summary>
public sealed class AppleFunctions(ApiEndpoints api)
{
    [Function("DownloadApplePass")]
    public Task<IResult> DownloadApplePass([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = ApplePassApi.PassRoute)] HttpRequest request) =>
        api.InvokeAsync(request, ApplePassApi.PassRoute);

    [Function("RevokeApplePassToken")]
    public Task<IResult> RevokeApplePassToken([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApplePassApi.RevokeTokenRoute)] HttpRequest request) =>
        api.InvokeAsync(request, ApplePassApi.RevokeTokenRoute);

    [Function("RevokeProgramApplePassToken")]
    public Task<IResult> RevokeProgramApplePassToken([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApplePassApi.ProgramRevokeTokenRoute)] HttpRequest request) =>
        api.InvokeAsync(request, ApplePassApi.ProgramRevokeTokenRoute);

    [Function("RegisterDevice")]
    public Task<IResult> RegisterDevice([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PassKitApi.RegistrationRoute)] HttpRequest request) =>
        api.InvokeAsync(request, PassKitApi.RegistrationRoute);

    [Function("UnregisterDevice")]
    public Task<IResult> UnregisterDevice([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = PassKitApi.RegistrationRoute)] HttpRequest request) =>
        api.InvokeAsync(request, PassKitApi.RegistrationRoute);

    [Function("ListUpdatedPasses")]
    public Task<IResult> ListUpdatedPasses([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PassKitApi.RegistrationsRoute)] HttpRequest request) =>
        api.InvokeAsync(request, PassKitApi.RegistrationsRoute);

    [Function("GetUpdatedPass")]
    public Task<IResult> GetUpdatedPass([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PassKitApi.PassRoute)] HttpRequest request) =>
        api.InvokeAsync(request, PassKitApi.PassRoute);

    [Function("LogDeviceMessages")]
    public Task<IResult> LogDeviceMessages([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PassKitApi.LogRoute)] HttpRequest request) =>
        api.InvokeAsync(request, PassKitApi.LogRoute);
}
