using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http.HttpResults;
using WalletPasses.Http;
using WalletPasses.Members;
using WalletPasses.Security;
using WalletPasses.Storage;
using WalletPasses.Templates;

namespace WalletPasses.Staff;

/// <summary>The body of <c>POST /api/redemptions</c>: a perk or an amount of points, never both.</summary>
public sealed record RedemptionInput(string? Barcode, string? PerkId, long? Points, string? Location, string? IdempotencyKey);

/// <summary>
/// The answer to an accepted redemption, stored and replayed verbatim for the same idempotency key.
/// <see cref="Status"/>: <c>redeemed</c> (a perk, 200) or <c>requested</c> (points, 202: the backend decides).
/// </summary>
public sealed record RedemptionAnswer(string RedemptionId, string Status, DateTimeOffset At, StaffMemberView Member, PerkView? Perk, long? Points);

/// <summary>The <c>pass-activity</c> message of a redeemed perk.</summary>
public sealed record PerkRedeemed(
    string Id, DateTimeOffset OccurredAt, string? Location, string StaffKey, string MemberId, string SerialNumber, string PerkId, PerkRedemption Redemption) : IPassActivity
{
    public string Type => "perk.redeemed";
}

/// <summary>
/// The <c>pass-activity</c> message (and webhook body) of a points redemption: a request to the ledger,
/// which answers with its next <c>points.changed</c> event. <see cref="BalanceShown"/> is the balance staff saw.
/// </summary>
public sealed record PointsRedemptionRequested(
    string Id, DateTimeOffset OccurredAt, string? Location, string StaffKey, string MemberId, string SerialNumber, long Points, long BalanceShown) : IPassActivity
{
    public string Type => "points.redemption.requested";
}

/// <summary>The services a redemption uses.</summary>
public readonly record struct RedemptionServices(
    PassChecker Checker, RedemptionLedger Ledger, PassActivityPublisher Activity, PointsWebhook Webhook, ITemplateSource Templates, TimeProvider Time);

/// <summary>
/// <c>POST /api/redemptions</c> (staff key): redeem a perk of the member's current tier per its rule, or ask
/// the backend to redeem points. Double submission never redeems twice: the same idempotency key gets the
/// same answer, and a limited perk's claim row is inserted at most once per period.
/// </summary>
public static class RedemptionsApi
{
    public const int MaxBodyBytes = 4 * 1024;
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const long MaxPoints = 1_000_000_000;
    private const int MaxHoldAttempts = 8;

    public const string RedemptionsRoute = "redemptions";

    public static RouteGroupBuilder MapRedemptionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(RedemptionsRoute)
            .RequireAuthorization(ApiKeyAuthentication.StaffPolicy)
            .RequireRateLimiting(StaffRateLimiting.Policy);
        api.MapPost("/", PostRedemption);
        return api;
    }

    public static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> PostRedemption(
        HttpContext context, ClaimsPrincipal user, [AsParameters] RedemptionServices services, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<RedemptionInput>(context.Request, MaxBodyBytes, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem.Result;
        }

        var input = body.Value!;
        var headerKey = context.Request.Headers[IdempotencyKeyHeader].ToString();
        var idempotencyKey = headerKey.Length > 0 ? headerKey : input.IdempotencyKey;
        var errors = Validate(input, headerKey, idempotencyKey);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var check = await services.Checker.CheckAsync(input.Barcode!, cancellationToken);
        if (check.Member is { Deleted: true })
        {
            // Erasure deleted the stored answers: a replay must not bring back the member's name or points.
            return Refused(StatusCodes.Status410Gone, ScanReasons.Voided, "Pass voided", "This pass's member was erased; nothing was redeemed.");
        }

        if (check.Member is not null)
        {
            var requestHash = RequestHash(check.SerialNumber!, input);

            // Before anything else: a retry of an accepted redemption gets its answer even if the pass or tier changed since.
            if (await services.Ledger.FindAsync(check.Member.MemberId, idempotencyKey!, cancellationToken) is { } earlier)
            {
                return await ReplayAsync(context, earlier, requestHash, services, cancellationToken);
            }

            if (check.Valid)
            {
                return await RedeemAsync(context, user.Identity!.Name!, input, idempotencyKey!, requestHash, check.Member, check.SerialNumber!, services, cancellationToken);
            }
        }

        return Refused(StatusCodes.Status422UnprocessableEntity, check.Reason!, "Not a valid pass", $"The scanned barcode is not a valid pass ({check.Reason}); nothing was redeemed.");
    }

    private static Dictionary<string, string[]> Validate(RedemptionInput input, string headerKey, string? idempotencyKey)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(input.Barcode))
        {
            errors["barcode"] = ["barcode (the scanned text) is required."];
        }

        if ((input.PerkId is null) == (input.Points is null))
        {
            errors["perkId"] = ["Give either perkId or points."];
        }
        else if (input.Points is < 1 or > MaxPoints)
        {
            errors["points"] = [$"points must be between 1 and {MaxPoints}."];
        }
        else if (input.PerkId is { Length: 0 or > StaffInput.MaxNameLength })
        {
            errors["perkId"] = ["perkId must be a perk id of the program."];
        }

        if (input.Location is not null && StaffInput.NameError("location", input.Location) is { } locationError)
        {
            errors["location"] = [locationError];
        }

        if (headerKey.Length > 0 && input.IdempotencyKey is not null && input.IdempotencyKey != headerKey)
        {
            errors["idempotencyKey"] = [$"The {IdempotencyKeyHeader} header and the idempotencyKey field differ."];
        }
        else if (StaffInput.IdempotencyKeyError(idempotencyKey) is { } keyError)
        {
            errors["idempotencyKey"] = [keyError];
        }

        return errors;
    }

    private static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> RedeemAsync(
        HttpContext context,
        string staffKey,
        RedemptionInput input,
        string idempotencyKey,
        string requestHash,
        Member member,
        string serialNumber,
        RedemptionServices services,
        CancellationToken cancellationToken)
    {
        var template = (await services.Templates.GetCurrentAsync(cancellationToken)).Template;
        var language = StaffViews.Language(context.Request, template);
        var view = StaffViews.MemberView(member, template, language);
        var now = services.Time.GetUtcNow();
        var redemption = new RedemptionEntity
        {
            PartitionKey = member.MemberId,
            RowKey = RedemptionEntity.RowKeyFor(idempotencyKey),
            RedemptionId = Guid.NewGuid().ToString("N"),
            RequestHash = requestHash,
            PerkId = input.PerkId,
            Points = input.Points,
            StaffKey = staffKey,
            Location = input.Location,
            RedeemedAt = now,
        };

        if (input.Points is { } points)
        {
            return await RequestPointsAsync(context, redemption, points, member, view, serialNumber, services, cancellationToken);
        }

        // Only the member's current tier counts: a perk of another tier (or none) is refused.
        var perkId = input.PerkId!;
        var perk = template.FindTier(member.Profile.Tier)?.Perks.FirstOrDefault(p => p.Id == perkId);
        if (perk is null)
        {
            return Refused(StatusCodes.Status422UnprocessableEntity, "perk-not-in-tier", "Not a perk of this member's tier", $"'{perkId}' is not a perk of the {view.Tier.Name} tier.");
        }

        var claimKey = PerkClaimEntity.RowKeyFor(perk, now, services.Ledger.DayZone);
        var claim = claimKey is null ? null : new PerkClaimEntity { PartitionKey = member.MemberId, RowKey = claimKey, PerkId = perk.Id, RedemptionId = redemption.RedemptionId, RedeemedAt = now, Location = input.Location };
        var perkView = new PerkView(perk.Id, StaffViews.PerkTitle(template, perk.Id, language), perk.Redemption, claim is null, now);
        redemption.AnswerStatus = StatusCodes.Status200OK;
        redemption.AnswerJson = JsonSerializer.Serialize(new RedemptionAnswer(redemption.RedemptionId, "redeemed", now, view, perkView, null), JsonBody.SerializerOptions);
        redemption.ActivityJson = PassActivityPublisher.Serialize(new PerkRedeemed(redemption.RedemptionId, now, input.Location, staffKey, member.MemberId, serialNumber, perk.Id, perk.Redemption));

        var outcome = await services.Ledger.RecordAsync(redemption, claim is null ? null : new TableTransactionAction(TableTransactionActionType.Add, claim), cancellationToken);
        if (outcome != RecordOutcome.Contended)
        {
            return await RecordedAsync(context, outcome, redemption, services, cancellationToken);
        }

        var taken = await services.Ledger.FindClaimAsync(member.MemberId, claim!.RowKey, cancellationToken);
        return Refused(
            StatusCodes.Status409Conflict,
            "already-redeemed",
            "Already redeemed",
            $"This perk was redeemed {(claim.RowKey.EndsWith("|once", StringComparison.Ordinal) ? "already" : "today")}{(taken?.Location is { } where ? " at " + where : "")}.",
            taken?.RedeemedAt);
    }

    /// <summary>
    /// Holds the points until the backend answers (see <see cref="PointsHolds"/>): of concurrent requests only
    /// those the available balance covers are accepted, since each writes the holds row under its ETag.
    /// </summary>
    private static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> RequestPointsAsync(
        HttpContext context, RedemptionEntity redemption, long points, Member member, StaffMemberView view, string serialNumber, RedemptionServices services, CancellationToken cancellationToken)
    {
        var now = redemption.RedeemedAt;
        var balance = member.Profile.Points;
        redemption.AnswerStatus = StatusCodes.Status202Accepted;
        redemption.AnswerJson = JsonSerializer.Serialize(new RedemptionAnswer(redemption.RedemptionId, "requested", now, view, null, points), JsonBody.SerializerOptions);
        redemption.ActivityJson = PassActivityPublisher.Serialize(new PointsRedemptionRequested(redemption.RedemptionId, now, redemption.Location, redemption.StaffKey, member.MemberId, serialNumber, points, balance));
        for (var attempt = 0; attempt < MaxHoldAttempts; attempt++)
        {
            var holds = await services.Ledger.HoldsAsync(member.MemberId, cancellationToken);
            var held = PointsHolds.Held(holds.ReadHolds(), now);
            var available = PointsHolds.Available(balance, holds.ReadHolds(), now);
            if (points > available)
            {
                var detail = held == 0
                    ? $"The member has {balance} points."
                    : $"The member has {balance} points, of which {held} are held by earlier requests the loyalty system has not answered yet: {available} available.";
                return Refused(StatusCodes.Status409Conflict, "insufficient-points", "Not enough points", detail, extra: new() { ["balance"] = balance, ["held"] = held, ["available"] = available });
            }

            holds.WriteHolds(PointsHolds.With(holds.ReadHolds(), new PointsHold(redemption.RedemptionId, points, now, now + services.Ledger.HoldLifetime), now));
            var outcome = await services.Ledger.RecordAsync(redemption, holds.WriteAction(), cancellationToken);
            if (outcome != RecordOutcome.Contended)
            {
                return await RecordedAsync(context, outcome, redemption, services, cancellationToken);
            }
        }

        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy", detail: "Too many concurrent points requests for this member; nothing was requested. Try again.");
    }

    private static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> RecordedAsync(
        HttpContext context, RecordOutcome outcome, RedemptionEntity redemption, RedemptionServices services, CancellationToken cancellationToken)
    {
        if (outcome == RecordOutcome.Recorded)
        {
            await PublishAsync(redemption, services, cancellationToken);
            return Answer(redemption);
        }

        var concurrent = await services.Ledger.FindAsync(redemption.PartitionKey, redemption.RowKey[RedemptionEntity.RowKeyPrefix.Length..], cancellationToken);
        return await ReplayAsync(context, concurrent!, redemption.RequestHash, services, cancellationToken);
    }

    private static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> ReplayAsync(
        HttpContext context, RedemptionEntity earlier, string requestHash, RedemptionServices services, CancellationToken cancellationToken)
    {
        if (earlier.RequestHash != requestHash)
        {
            return Refused(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused", "Idempotency key reused", "This idempotency key was used for a different redemption; use a new key for a new redemption.");
        }

        // The first attempt may have stopped between recording and publishing: publish now (at least once).
        if (!earlier.Published)
        {
            await PublishAsync(earlier, services, cancellationToken);
        }

        context.Response.Headers[ReplayedHeader] = "true";
        return Answer(earlier);
    }

    private static async Task PublishAsync(RedemptionEntity redemption, RedemptionServices services, CancellationToken cancellationToken)
    {
        await services.Activity.PublishJsonAsync(redemption.ActivityJson, cancellationToken);
        if (redemption.Points is not null)
        {
            await services.Webhook.EnqueueAsync(redemption.RedemptionId, redemption.ActivityJson, cancellationToken);
        }

        await services.Ledger.MarkPublishedAsync(redemption, cancellationToken);
    }

    private static ContentHttpResult Answer(RedemptionEntity redemption) =>
        TypedResults.Content(redemption.AnswerJson, "application/json", Encoding.UTF8, redemption.AnswerStatus);

    private static string RequestHash(string serialNumber, RedemptionInput input) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{serialNumber}\n{input.PerkId}\n{input.Points}")));

    private static ProblemHttpResult Refused(int status, string reason, string title, string detail, DateTimeOffset? redeemedAt = null, Dictionary<string, object?>? extra = null)
    {
        var extensions = new Dictionary<string, object?>(extra ?? []) { ["reason"] = reason };
        if (redeemedAt is not null)
        {
            extensions["redeemedAt"] = redeemedAt;
        }

        return TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: extensions);
    }
}
