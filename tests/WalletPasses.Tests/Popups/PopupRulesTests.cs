using Microsoft.Extensions.Time.Testing;
using WalletPasses.Popups;

namespace WalletPasses.Tests.Popups;

/// <summary>
/// Which pop-ups a pass carries, on a fake clock and without storage. Apple's limit: a pass's <c>locations</c> holds up
/// to 10 (https://developer.apple.com/documentation/walletpasses/pass); Google refuses more than 10 merchantLocations
/// (LoyaltyObject.merchantLocations, see Google/TestData/README.md).
/// </summary>
public sealed class PopupRulesTests
{
    private static readonly TimeSpan Lead = TimeSpan.FromDays(1);
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.FromHours(1));

    private static Popup At(string id, DateTimeOffset opens, TimeSpan? lasts = null, params string[] tiers) =>
        new(id, "Pop-up " + id, "Alexanderplatz 1, Berlin", 52.52, 13.41, opens, opens + (lasts ?? TimeSpan.FromHours(8)), tiers, "Our pop-up is around the corner");

    [Fact]
    public void A_pop_up_is_carried_from_its_announcement_until_it_closes_as_the_clock_moves()
    {
        var clock = new FakeTimeProvider(Start - TimeSpan.FromDays(2));
        var popup = At("a1", Start);
        var phases = new List<(string Phase, int Carried)>();
        foreach (var step in new[] { TimeSpan.Zero, TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), TimeSpan.FromHours(8) })
        {
            clock.Advance(step);
            phases.Add((PopupRules.PhaseOf(popup, clock.GetUtcNow(), Lead), PopupRules.Carried([popup], clock.GetUtcNow(), Lead).Count));
        }

        Assert.Equal(
            [(PopupPhase.Scheduled, 0), (PopupPhase.Scheduled, 0), (PopupPhase.Announced, 1), (PopupPhase.Open, 1), (PopupPhase.Closed, 0)],
            phases);
    }

    [Fact]
    public void Without_a_lead_time_a_pop_up_is_carried_only_while_open()
    {
        var popup = At("a1", Start);

        Assert.Empty(PopupRules.Carried([popup], Start - TimeSpan.FromMinutes(1), TimeSpan.Zero));
        Assert.Single(PopupRules.Carried([popup], Start, TimeSpan.Zero));
    }

    [Fact]
    public void A_tier_limited_pop_up_reaches_only_its_tiers_and_one_for_everyone_reaches_all()
    {
        var carried = PopupRules.Carried([At("a1", Start, null, "platinum"), At("a2", Start.AddHours(1))], Start, Lead);

        Assert.Equal(["a1", "a2"], PopupRules.ForTier(carried, "platinum").Select(p => p.Id));
        Assert.Equal(["a2"], PopupRules.ForTier(carried, "gold").Select(p => p.Id));
    }

    [Fact]
    public void Open_pop_ups_come_before_announced_ones_and_a_pass_keeps_the_ten_soonest()
    {
        var now = Start.AddHours(1);
        var popups = Enumerable.Range(0, 14).Select(i => At($"b{i:x2}", Start.AddHours(13 - i))).ToList(); // b0d opens first
        var carried = PopupRules.Carried(popups, now, Lead);

        var shown = PopupRules.ForTier(carried, "gold");

        Assert.Equal(PopupRules.MaxPerPass, shown.Count);
        Assert.Equal(["b0d", "b0c"], shown.Take(2).Select(p => p.Id)); // open (opened at 9:00 and 10:00)
        Assert.All(shown.Skip(2), p => Assert.Equal(PopupPhase.Announced, PopupRules.PhaseOf(p, now, Lead)));
        Assert.Equal(shown.OrderBy(p => p.OpensAt).Select(p => p.Id), shown.Select(p => p.Id));
        Assert.DoesNotContain(shown, p => p.Id is "b00" or "b01" or "b02" or "b03"); // the four opening last wait
    }

    [Fact]
    public void The_stored_list_keeps_each_tiers_ten_soonest_and_drops_what_no_pass_could_show()
    {
        var forEveryone = Enumerable.Range(0, 12).Select(i => At($"c{i:x2}", Start.AddMinutes(i)));
        var platinumOnly = At("d01", Start.AddHours(5), null, "platinum"); // opens after ten for everyone: no pass reaches it
        var carried = PopupRules.Carried([.. forEveryone, platinumOnly], Start, Lead);

        var retained = PopupRules.Retained(carried);

        Assert.Equal(10, retained.Count);
        Assert.Equal(PopupRules.ForTier(carried, "platinum").Select(p => p.Id), PopupRules.ForTier(retained, "platinum").Select(p => p.Id));
        Assert.Equal(PopupRules.ForTier(carried, "gold").Select(p => p.Id), PopupRules.ForTier(retained, "gold").Select(p => p.Id));
    }

    [Fact]
    public void The_fingerprint_changes_with_what_the_pass_shows_only()
    {
        var a = At("a1", Start);

        Assert.Equal(PopupRules.Fingerprint([a]), PopupRules.Fingerprint([a with { }]));
        Assert.NotEqual(PopupRules.Fingerprint([a]), PopupRules.Fingerprint([a with { RelevantText = "Now open" }]));
        Assert.Equal("", PopupRules.Fingerprint([]));
    }
}
