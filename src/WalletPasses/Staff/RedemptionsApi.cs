using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using WalletPasses.Http;
using WalletPasses.Members;
using WalletPasses.Security;
using WalletPasses.Storage;

namespace WalletPasses.Staff;

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
    private const int MaxAttempts = 8;

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

        var check = await services.Checker.CheckAsync(input.Barcode!, user, cancellationToken);
        var template = (await (check.Member is { } checkedMember ? services.Templates.ForMember(checkedMember.MemberId) : services.Templates.For(services.Programs.DefaultProgramId)).GetCurrentAsync(cancellationToken)).Template;
        var request = new RedemptionRequest(input, idempotencyKey!, user.Identity!.Name!, StaffViews.Language(context.Request, template), Guid.NewGuid().ToString("N"));
        var rules = services.Ledger.Rules;

        // Read, plan, write; a row that collided with a concurrent request changes what is stored, so read and plan again.
        Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>? result = null;
        var decided = await ConflictRetry.TryRunAsync(MaxAttempts, async _ =>
        {
            var now = services.Time.GetUtcNow();
            var current = check;
            var state = new RedemptionState(null, null, new PointsHoldsEntity());
            if (check.Member is { Deleted: false } member)
            {
                state = await services.Ledger.StateAsync(member.MemberId, request.IdempotencyKey, RedemptionPlanner.ClaimRowKey(input, member, template, now, rules), input.Points is not null, cancellationToken);
                if (input.Points is not null)
                {
                    // The balance is read after the holds: an event that settles a hold writes both rows in one
                    // transaction, so a balance older than the holds could count settled points twice. Read in this
                    // order, a settlement in between changes the holds' ETag and the write below loses and retries.
                    current = await services.Checker.WithCurrentMemberAsync(check, cancellationToken);
                }
            }

            switch (RedemptionPlanner.Plan(request, current, template, state, now, rules))
            {
                case RedemptionPlan.Refuse refusal:
                    result = Refused(refusal);
                    return true;
                case RedemptionPlan.Replay replay:
                    result = await ReplayAsync(context, replay.Earlier, services, cancellationToken);
                    return true;
                case RedemptionPlan.Record record when await services.Ledger.RecordAsync(record, cancellationToken):
                    if (await services.Ledger.EraseIfMemberErasedAsync(record.Redemption.PartitionKey, cancellationToken))
                    {
                        result = Refused(RedemptionPlanner.Erased());
                        return true;
                    }

                    await PublishAsync(record.Redemption, services, cancellationToken);
                    result = Answer(record.Redemption);
                    return true;
                default:
                    return false;
            }
        });
        if (decided)
        {
            return result!;
        }

        RetryAfter.Set(context.Response, TimeSpan.FromSeconds(1)); // concurrent requests for one member: a second later the ledger has settled
        return Refused(RedemptionPlanner.Busy(input));
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

    private static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> ReplayAsync(
        HttpContext context, RedemptionEntity earlier, RedemptionServices services, CancellationToken cancellationToken)
    {
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

    private static ProblemHttpResult Refused(RedemptionPlan.Refuse refusal) =>
        TypedResults.Problem(statusCode: refusal.Status, title: refusal.Title, detail: refusal.Detail, extensions: refusal.Extensions);
}
