using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WalletPasses.Google;

namespace WalletPasses.Functions;

/// <summary>Google Wallet's save link and signed callbacks (<see cref="GoogleWalletApi"/>); 404 while Google is not configured.</summary>
public sealed class GoogleFunctions(ApiEndpoints api)
{
    [Function("SaveToGoogleWallet")]
    public Task<IResult> SaveToGoogleWallet([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GoogleWalletApi.SaveRoute)] HttpRequest request) =>
        api.InvokeAsync(request, GoogleWalletApi.SaveRoute);

    [Function("ReceiveGoogleCallback")]
    public Task<IResult> ReceiveGoogleCallback([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GoogleWalletApi.CallbacksRoute)] HttpRequest request) =>
        api.InvokeAsync(request, GoogleWalletApi.CallbacksRoute);
}
