using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WalletPasses.Activity;
using WalletPasses.Http;
using WalletPasses.Members;
using WalletPasses.Programs;
using WalletPasses.Templates;

namespace WalletPasses.Staff;

/// <summary>
/// The redemption rules, pure: given the request, the checked pass (its member), the program template, the
/// member's stored redemption rows and the time, decides what to write, what to answer and what activity to
/// publish. An erased member's pass is refused (410) before anything else; then a replay of an accepted
/// idempotency key gets its first answer whatever changed since (another request under the same key is
/// refused); then only a valid pass can redeem. A perk must be one of the member's current tier; a limited
/// perk is refused while its claim for the period (once, or the calendar day in the configured zone) exists,
/// else its claim row is written with the redemption. Points must be covered by the balance less the
/// unexpired holds, and the new hold is written with the redemption; the backend decides (202). The caller
/// writes a <see cref="RedemptionPlan.Record"/> all or nothing and, if a row collided, reads the state again
/// and plans again.
/// </summary>
public static class RedemptionPlanner
{
    public static RedemptionPlan Plan(RedemptionRequest request, PassCheckResult check, ProgramTemplate template, RedemptionState state, DateTimeOffset now, RedemptionRules rules)
    {
        var input = request.Input;
        if (check.Member is { Deleted: true })
        {
            // Erasure deleted the stored answers: a replay must not bring back the member's name or points.
            return Erased();
        }

        if (check.Member is { } member)
        {
            var requestHash = RequestHash(check.SerialNumber!, input);

            // Before anything else: a retry of an accepted redemption gets its answer even if the pass or tier changed since.
            if (state.Earlier is { } earlier)
            {
                return earlier.RequestHash == requestHash
                    ? new RedemptionPlan.Replay(earlier)
                    : Refused(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused", "Idempotency key reused", "This idempotency key was used for a different redemption; use a new key for a new redemption.");
            }

            if (check.Valid)
            {
                var redemption = new RedemptionEntity
                {
                    PartitionKey = member.MemberId,
                    RowKey = RedemptionEntity.RowKeyFor(request.IdempotencyKey),
                    RedemptionId = request.NewRedemptionId,
                    RequestHash = requestHash,
                    PerkId = input.PerkId,
                    Points = input.Points,
                    StaffKey = request.StaffKey,
                    Location = input.Location,
                    RedeemedAt = now,
                };
                var view = StaffViews.MemberView(member, template, request.Language);
                return input.Points is { } points
                    ? PlanPoints(redemption, points, member, view, check.SerialNumber!, state.Holds, now, rules)
                    : PlanPerk(redemption, request, member, view, check.SerialNumber!, template, state.Claim, now, rules);
            }
        }

        return Refused(StatusCodes.Status422UnprocessableEntity, check.Reason!, "Not a valid pass", $"The scanned barcode is not a valid pass ({check.Reason}); nothing was redeemed.");
    }

    /// <summary>The perk of the member's current tier that <paramref name="input"/> asks for; null when it asks for points or for no such perk.</summary>
    public static PerkTemplate? AskedPerk(RedemptionInput input, Member member, ProgramTemplate template) =>
        input.PerkId is { } perkId ? template.FindTier(member.Profile.Tier)?.Perks.FirstOrDefault(p => p.Id == perkId) : null;

    /// <summary>The claim row the asked perk takes now, which <see cref="RedemptionState.Claim"/> must be read from; null when there is none to read.</summary>
    public static string? ClaimRowKey(RedemptionInput input, Member member, ProgramTemplate template, DateTimeOffset now, RedemptionRules rules) =>
        AskedPerk(input, member, template) is { } perk ? PerkClaimEntity.RowKeyFor(perk, now, rules.PerkDayZone) : null;

    /// <summary>What the endpoint answers for an erased member's pass, also when the erasure came after the pass was checked.</summary>
    public static RedemptionPlan.Refuse Erased() =>
        Refused(StatusCodes.Status410Gone, ScanReasons.Voided, "Pass voided", "This pass's member was erased; nothing was redeemed.");

    /// <summary>What the endpoint answers when rows kept colliding with concurrent requests of the same member.</summary>
    public static RedemptionPlan.Refuse Busy(RedemptionInput input) => new(
        StatusCodes.Status503ServiceUnavailable,
        "busy",
        "Busy",
        input.Points is null
            ? "Too many concurrent redemptions for this member; nothing was redeemed. Try again."
            : "Too many concurrent points requests for this member; nothing was requested. Try again.",
        new Dictionary<string, object?>());

    private static RedemptionPlan PlanPerk(
        RedemptionEntity redemption, RedemptionRequest request, Member member, StaffMemberView view, string serialNumber, ProgramTemplate template, PerkClaimEntity? taken, DateTimeOffset now, RedemptionRules rules)
    {
        // Only the member's current tier counts: a perk of another tier (or none) is refused.
        var perk = AskedPerk(request.Input, member, template);
        if (perk is null)
        {
            return Refused(StatusCodes.Status422UnprocessableEntity, "perk-not-in-tier", "Not a perk of this member's tier", $"'{request.Input.PerkId}' is not a perk of the {view.Tier.Name} tier.");
        }

        var claimKey = PerkClaimEntity.RowKeyFor(perk, now, rules.PerkDayZone);
        if (claimKey is not null && taken is not null)
        {
            return Refused(
                StatusCodes.Status409Conflict,
                "already-redeemed",
                "Already redeemed",
                $"This perk was redeemed {(perk.Redemption == PerkRedemption.Once ? "already" : "today")}{(taken.Location is { } where ? " at " + where : "")}.",
                new() { ["redeemedAt"] = taken.RedeemedAt });
        }

        var claim = claimKey is null
            ? null
            : new PerkClaimEntity { PartitionKey = member.MemberId, RowKey = claimKey, PerkId = perk.Id, RedemptionId = redemption.RedemptionId, RedeemedAt = now, Location = redemption.Location };
        var perkView = new PerkView(perk.Id, StaffViews.PerkTitle(template, perk.Id, request.Language), perk.Redemption, claim is null, now);
        var answer = new RedemptionAnswer(redemption.RedemptionId, "redeemed", now, view, perkView, null);
        var holder = ProgramMember.Of(member.MemberId, rules.DefaultProgramId);
        var activity = new PerkRedeemed(redemption.RedemptionId, now, redemption.Location, redemption.StaffKey, holder.MemberId, serialNumber, perk.Id, perk.Redemption)
        {
            ProgramId = holder.ProgramId,
        };
        redemption.AnswerStatus = StatusCodes.Status200OK;
        redemption.AnswerJson = JsonSerializer.Serialize(answer, JsonBody.SerializerOptions);
        redemption.ActivityJson = PassActivityPublisher.Serialize(activity);
        return new RedemptionPlan.Record(redemption, claim, null, activity, answer);
    }

    /// <summary>
    /// Holds the points until the backend answers (see <see cref="PointsHolds"/>): of concurrent requests only
    /// those the available balance covers are accepted, since each writes the holds row under its ETag.
    /// </summary>
    private static RedemptionPlan PlanPoints(
        RedemptionEntity redemption, long points, Member member, StaffMemberView view, string serialNumber, PointsHoldsEntity holds, DateTimeOffset now, RedemptionRules rules)
    {
        var balance = member.Profile.Points;
        var current = holds.ReadHolds();
        var held = PointsHolds.Held(current, now);
        var available = PointsHolds.Available(balance, current, now);
        if (points > available)
        {
            var detail = held == 0
                ? $"The member has {balance} points."
                : $"The member has {balance} points, of which {held} are held by earlier requests the loyalty system has not answered yet: {available} available.";
            return Refused(StatusCodes.Status409Conflict, "insufficient-points", "Not enough points", detail, new() { ["balance"] = balance, ["held"] = held, ["available"] = available });
        }

        var newHolds = new PointsHoldsEntity { PartitionKey = holds.PartitionKey, ETag = holds.ETag };
        newHolds.WriteHolds(PointsHolds.With(current, new PointsHold(redemption.RedemptionId, points, now, now + rules.HoldLifetime), now));
        var answer = new RedemptionAnswer(redemption.RedemptionId, "requested", now, view, null, points);
        var holder = ProgramMember.Of(member.MemberId, rules.DefaultProgramId);
        var activity = new PointsRedemptionRequested(redemption.RedemptionId, now, redemption.Location, redemption.StaffKey, holder.MemberId, serialNumber, points, balance)
        {
            ProgramId = holder.ProgramId,
        };
        redemption.AnswerStatus = StatusCodes.Status202Accepted;
        redemption.AnswerJson = JsonSerializer.Serialize(answer, JsonBody.SerializerOptions);
        redemption.ActivityJson = PassActivityPublisher.Serialize(activity);
        return new RedemptionPlan.Record(redemption, null, newHolds, activity, answer);
    }

    private static string RequestHash(string serialNumber, RedemptionInput input) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{serialNumber}\n{input.PerkId}\n{input.Points}")));

    private static RedemptionPlan.Refuse Refused(int status, string reason, string title, string detail, Dictionary<string, object?>? extensions = null) =>
        new RedemptionPlan.Refuse(status, reason, title, detail, new Dictionary<string, object?>(extensions ?? []) { ["reason"] = reason });
}
