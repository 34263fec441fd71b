using Azure.Data.Tables;
using Microsoft.AspNetCore.Http.HttpResults;
using WalletPasses.Apple;
using WalletPasses.Members;
using WalletPasses.Programs;
using WalletPasses.Security;
using WalletPasses.Storage;

namespace WalletPasses.Delivery;

/// <summary>The loyalty backend's view of how a member's pass versions reached devices and Google.</summary>
public static class DeliveryApi
{
    public const int MaxTimelineRows = 200;

    public const string DeliveryRoute = "members/{memberId}/delivery";

    /// <summary>The same for a member of a given program.</summary>
    public const string ProgramDeliveryRoute = ProgramRoutes.Prefix + DeliveryRoute;

    public static RouteGroupBuilder MapDeliveryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").RequireAuthorization(ApiKeyAuthentication.BackendPolicy).RequireKnownProgram().RequireProgramOfBackendKey();
        api.MapGet(DeliveryRoute, GetDelivery);
        api.MapGet(ProgramDeliveryRoute, GetDelivery);
        return api;
    }

    public static async Task<Results<Ok<DeliveryReport>, ValidationProblem, ProblemHttpResult>> GetDelivery(
        string memberId, ProgramScope program, MemberStore members, Announcements announcements, DeviceRegistrations registrations, StorageClients storage, CancellationToken cancellationToken)
    {
        if (MemberValidation.MemberIdError(memberId) is { } idError)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["memberId"] = [idError] });
        }

        var storageId = program.StorageId(memberId);
        var member = await members.GetAsync(storageId, cancellationToken);
        if (member is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown member", detail: $"No member '{memberId}'.");
        }

        var announcement = await announcements.GetAsync(storageId, cancellationToken);
        var timeline = await TimelineAsync(storage, storageId, cancellationToken);
        var pushes = DevicePushes.Parse(announcement?.Records().GetValueOrDefault(ApplePushNotifier.PlatformName));
        var registered = (await registrations.ForMemberAsync(storageId, cancellationToken)).Where(r => r.SerialNumber == member.Pass.SerialNumber).Select(r => r.DeviceLibraryIdentifier);
        var sinceAnnounced = timeline.Where(r => announcement is null || r.At >= announcement.AnnouncedAt).ToList();
        var devices = DeviceDeliveryStates.Of(registered, pushes, member.Pass.Version, sinceAnnounced)
            .Select(d => new DeviceDeliveryDocument(d.DeviceLibraryIdentifier, d.State, d.Push?.At, d.Push?.Status, d.Push?.ApnsId, d.Push?.Pushes ?? 0, d.Push?.Repushed ?? false, d.ListedAt, d.FetchedAt))
            .ToList();
        return TypedResults.Ok(new DeliveryReport(
            memberId,
            member.Pass.SerialNumber,
            member.Pass.Version,
            announcement?.AnnouncedAt,
            announcement?.PendingPlatforms ?? [],
            devices,
            timeline.Select(r => new DeliveryEventDocument(r.At, r.Kind, r.Device, r.Version, r.Status, r.Detail, r.ApnsId, r.Count)).ToList()));
    }

    /// <summary>The member's newest trace rows (the RowKey sorts newest first): one range query in the member's partition.</summary>
    public static async Task<List<DeliveryTraceEntity>> TimelineAsync(StorageClients storage, string memberId, CancellationToken cancellationToken)
    {
        var rows = new List<DeliveryTraceEntity>();
        var query = storage.Members.QueryAsync<DeliveryTraceEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {memberId} and RowKey ge {DeliveryTraceEntity.RowKeyPrefix} and RowKey lt {DeliveryTraceEntity.RowKeyEnd}"),
            maxPerPage: MaxTimelineRows,
            cancellationToken: cancellationToken);
        await foreach (var row in query)
        {
            rows.Add(row);
            if (rows.Count == MaxTimelineRows)
            {
                break;
            }
        }

        return rows;
    }
}
