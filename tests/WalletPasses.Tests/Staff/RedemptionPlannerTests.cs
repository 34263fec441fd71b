using System.Text.Json;
using WalletPasses.Activity;
using WalletPasses.Members;
using WalletPasses.Staff;
using WalletPasses.Templates;

namespace WalletPasses.Tests.Staff;

/// <summary>The redemption rules without storage or HTTP: what is written, answered and published for a request.</summary>
public sealed class RedemptionPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly ProgramTemplate Template = DefaultTemplate.Template();
    private static readonly RedemptionRules Rules = new(TimeZoneInfo.Utc, TimeSpan.FromMinutes(10));
    private const string Serial = "serial-1";

    private static Member Jane(string tier = "gold", long points = 1000, bool deleted = false) => new(
        "m-1",
        new MemberProfile("Jane Doe", points, tier, null, null),
        new MemberPass(Serial, "WP1.token", 1, Now, Voided: false, Silent: false),
        [],
        deleted);

    private static RedemptionRequest Request(string? perkId = null, long? points = null, string key = "key-00000001", string id = "r-new") =>
        new(new RedemptionInput("WP1.token", perkId, points, "store-1", key), key, "till-1", "en", id);

    private static PassCheckResult Valid(Member member) => new(null, Serial, member);

    private static RedemptionState Nothing(string memberId = "m-1") => new(null, null, new PointsHoldsEntity { PartitionKey = memberId });

    private static RedemptionPlan Plan(RedemptionRequest request, Member member, RedemptionState? state = null, DateTimeOffset? now = null) =>
        RedemptionPlanner.Plan(request, Valid(member), Template, state ?? Nothing(), now ?? Now, Rules);

    private static RedemptionPlan.Record Recorded(RedemptionPlan plan) => Assert.IsType<RedemptionPlan.Record>(plan);

    private static void AssertRefused(RedemptionPlan plan, int status, string reason)
    {
        var refusal = Assert.IsType<RedemptionPlan.Refuse>(plan);
        Assert.Equal(status, refusal.Status);
        Assert.Equal(reason, refusal.Extensions["reason"]);
    }

    [Fact]
    public void A_once_only_perk_writes_its_claim_with_the_redemption_and_answers_redeemed()
    {
        var plan = Recorded(Plan(Request(perkId: "birthday-drink"), Jane()));

        Assert.Equal("perk|birthday-drink|once", plan.Claim!.RowKey);
        Assert.Equal("redemption|key-00000001", plan.Redemption.RowKey);
        Assert.Equal(200, plan.Redemption.AnswerStatus);
        Assert.Equal("redeemed", plan.Answer.Status);
        Assert.Equal("Jane D.", plan.Answer.Member.DisplayName);
        Assert.Equal("Free birthday drink", plan.Answer.Perk!.Title);
        Assert.False(plan.Answer.Perk.Redeemable);
        var activity = Assert.IsType<PerkRedeemed>(plan.Activity);
        Assert.Equal(("perk.redeemed", "r-new", "birthday-drink", "store-1"), (activity.Type, activity.Id, activity.PerkId, activity.Location));
        Assert.Equal("perk.redeemed", JsonDocument.Parse(plan.Redemption.ActivityJson).RootElement.GetProperty("type").GetString());
        Assert.Null(plan.Holds);
    }

    [Fact]
    public void A_taken_once_only_perk_is_refused_saying_where_and_when()
    {
        var claim = new PerkClaimEntity { PerkId = "birthday-drink", RedeemedAt = Now.AddDays(-3), Location = "store-2" };

        var plan = Plan(Request(perkId: "birthday-drink"), Jane(), Nothing() with { Claim = claim });

        AssertRefused(plan, 409, "already-redeemed");
        var refusal = (RedemptionPlan.Refuse)plan;
        Assert.Equal("This perk was redeemed already at store-2.", refusal.Detail);
        Assert.Equal(Now.AddDays(-3), refusal.Extensions["redeemedAt"]);
    }

    [Fact]
    public void A_once_per_day_perk_claims_the_day_in_the_configured_zone_and_a_taken_one_is_refused_for_today()
    {
        var tokyo = Rules with { PerkDayZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo") };
        var lateUtc = new DateTimeOffset(2026, 11, 23, 20, 0, 0, TimeSpan.Zero); // 24 November in Tokyo

        Assert.Equal("perk|free-drink-daily|day|2026-11-24", RedemptionPlanner.ClaimRowKey(Request(perkId: "free-drink-daily").Input, Jane("platinum"), Template, lateUtc, tokyo));
        var taken = RedemptionPlanner.Plan(Request(perkId: "free-drink-daily"), Valid(Jane("platinum")), Template, Nothing() with { Claim = new PerkClaimEntity() }, lateUtc, tokyo);
        Assert.Equal("This perk was redeemed today.", Assert.IsType<RedemptionPlan.Refuse>(taken).Detail);
    }

    [Fact]
    public void An_unlimited_perk_takes_no_claim_and_stays_redeemable()
    {
        var plan = Recorded(Plan(Request(perkId: "free-shipping"), Jane()));

        Assert.Null(plan.Claim);
        Assert.True(plan.Answer.Perk!.Redeemable);
        Assert.Null(RedemptionPlanner.ClaimRowKey(Request(perkId: "free-shipping").Input, Jane(), Template, Now, Rules));
    }

    [Fact]
    public void Only_perks_of_the_members_current_tier_are_redeemable()
    {
        AssertRefused(Plan(Request(perkId: "free-drink-daily"), Jane("gold")), 422, "perk-not-in-tier");
        AssertRefused(Plan(Request(perkId: "free-shipping"), Jane("no-such-tier")), 422, "perk-not-in-tier");
    }

    [Fact]
    public void Points_within_the_available_balance_are_held_and_requested_from_the_backend()
    {
        var holds = new PointsHoldsEntity { PartitionKey = "m-1", ETag = new Azure.ETag("W/\"1\"") };
        holds.WriteHolds([new PointsHold("r-old", 300, Now.AddMinutes(-1), Now.AddMinutes(9)), new PointsHold("r-gone", 500, Now.AddMinutes(-20), Now.AddMinutes(-10))]);

        var plan = Recorded(Plan(Request(points: 700), Jane(points: 1000), Nothing() with { Holds = holds }));

        Assert.Equal(202, plan.Redemption.AnswerStatus);
        Assert.Equal(("requested", 700L), (plan.Answer.Status, plan.Answer.Points));
        Assert.Equal(holds.ETag, plan.Holds!.ETag); // written only if no one changed the holds since they were read
        Assert.Equal([("r-old", 300L), ("r-new", 700L)], plan.Holds.ReadHolds().Select(h => (h.RedemptionId, h.Points)));
        Assert.Equal(Now + Rules.HoldLifetime, plan.Holds.ReadHolds()[1].ExpiresAt);
        var activity = Assert.IsType<PointsRedemptionRequested>(plan.Activity);
        Assert.Equal((700L, 1000L), (activity.Points, activity.BalanceShown));
    }

    [Fact]
    public void Points_beyond_the_balance_less_the_holds_are_refused_naming_what_is_available()
    {
        var holds = new PointsHoldsEntity { PartitionKey = "m-1" };
        holds.WriteHolds([new PointsHold("r-old", 300, Now, Now.AddMinutes(10))]);

        var plan = Plan(Request(points: 701), Jane(points: 1000), Nothing() with { Holds = holds });

        AssertRefused(plan, 409, "insufficient-points");
        var refusal = (RedemptionPlan.Refuse)plan;
        Assert.Equal((1000L, 300L, 700L), ((long)refusal.Extensions["balance"]!, (long)refusal.Extensions["held"]!, (long)refusal.Extensions["available"]!));
    }

    [Fact]
    public void A_replayed_key_gets_its_first_answer_even_after_the_tier_changed_or_the_pass_went_stale()
    {
        var first = Recorded(Plan(Request(perkId: "free-shipping"), Jane("gold")));
        var earlier = Nothing() with { Earlier = first.Redemption };

        var replay = Plan(Request(perkId: "free-shipping", id: "r-other"), Jane("silver"), earlier);
        var staleReplay = RedemptionPlanner.Plan(Request(perkId: "free-shipping"), new PassCheckResult(ScanReasons.Outdated, Serial, Jane()), Template, earlier, Now, Rules);

        Assert.Same(first.Redemption, Assert.IsType<RedemptionPlan.Replay>(replay).Earlier);
        Assert.Same(first.Redemption, Assert.IsType<RedemptionPlan.Replay>(staleReplay).Earlier);
    }

    [Fact]
    public void A_key_reused_for_another_request_is_refused()
    {
        var first = Recorded(Plan(Request(perkId: "free-shipping"), Jane()));

        AssertRefused(Plan(Request(perkId: "early-access"), Jane(), Nothing() with { Earlier = first.Redemption }), 422, "idempotency-key-reused");
    }

    [Fact]
    public void An_erased_member_is_refused_before_any_replay_and_an_invalid_pass_redeems_nothing()
    {
        var first = Recorded(Plan(Request(perkId: "free-shipping"), Jane()));

        AssertRefused(Plan(Request(perkId: "free-shipping"), Jane(deleted: true), Nothing() with { Earlier = first.Redemption }), 410, ScanReasons.Voided);
        AssertRefused(RedemptionPlanner.Plan(Request(perkId: "free-shipping"), new PassCheckResult(ScanReasons.Forged, null, null), Template, Nothing(), Now, Rules), 422, ScanReasons.Forged);
        AssertRefused(RedemptionPlanner.Plan(Request(perkId: "free-shipping"), new PassCheckResult(ScanReasons.Outdated, Serial, Jane()), Template, Nothing(), Now, Rules), 422, ScanReasons.Outdated);
    }
}
