using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WalletPasses.Backend;
using WalletPasses.Delivery;

namespace WalletPasses.Functions;

/// <summary>The loyalty backend's member routes (<see cref="MembersApi"/>), unprefixed (the default program) and per program.</summary>
public sealed class MemberFunctions(ApiEndpoints api)
{
    [Function("PutMember")]
    public Task<IResult> PutMember([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = MembersApi.MemberRoute)] HttpRequest request) =>
        api.InvokeAsync(request, MembersApi.MemberRoute);

    [Function("GetMember")]
    public Task<IResult> GetMember([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = MembersApi.MemberRoute)] HttpRequest request) =>
        api.InvokeAsync(request, MembersApi.MemberRoute);

    /// <summary>How the member's pass versions reached devices and Google (<see cref="DeliveryApi"/>).</summary>
    [Function("GetMemberDelivery")]
    public Task<IResult> GetMemberDelivery([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = DeliveryApi.DeliveryRoute)] HttpRequest request) =>
        api.InvokeAsync(request, DeliveryApi.DeliveryRoute);

    [Function("DeleteMember")]
    public Task<IResult> DeleteMember([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = MembersApi.MemberRoute)] HttpRequest request) =>
        api.InvokeAsync(request, MembersApi.MemberRoute);

    [Function("PutProgramMember")]
    public Task<IResult> PutProgramMember([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = MembersApi.ProgramMemberRoute)] HttpRequest request) =>
        api.InvokeAsync(request, MembersApi.ProgramMemberRoute);

    [Function("GetProgramMember")]
    public Task<IResult> GetProgramMember([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = MembersApi.ProgramMemberRoute)] HttpRequest request) =>
        api.InvokeAsync(request, MembersApi.ProgramMemberRoute);

    [Function("GetProgramMemberDelivery")]
    public Task<IResult> GetProgramMemberDelivery([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = DeliveryApi.ProgramDeliveryRoute)] HttpRequest request) =>
        api.InvokeAsync(request, DeliveryApi.ProgramDeliveryRoute);

    [Function("DeleteProgramMember")]
    public Task<IResult> DeleteProgramMember([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = MembersApi.ProgramMemberRoute)] HttpRequest request) =>
        api.InvokeAsync(request, MembersApi.ProgramMemberRoute);
}
