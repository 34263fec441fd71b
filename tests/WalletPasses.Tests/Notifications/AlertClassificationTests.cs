using WalletPasses.Notifications;
using WalletPasses.Templates;

namespace WalletPasses.Tests.Notifications;

/// <summary>Which changes are important, against the shipped template (silver, gold, platinum: entry level first).</summary>
public sealed class AlertClassificationTests
{
    private static readonly ProgramTemplate Template = DefaultTemplate.Template();

    private static AlertPriority TierPriority(string before, string after) =>
        Assert.Single(AlertClassification.Of(PassAlerts.Tier, before, after, Template)).Priority;

    [Fact]
    public void A_tier_upgrade_is_important_and_a_downgrade_is_routine()
    {
        Assert.Equal(AlertPriority.Important, TierPriority("silver", "gold"));
        Assert.Equal(AlertPriority.Important, TierPriority("gold", "platinum"));
        Assert.Equal(AlertPriority.Routine, TierPriority("platinum", "gold"));
    }

    [Fact]
    public void A_change_to_a_tier_with_a_perk_the_old_one_lacked_is_important()
    {
        var template = Template with
        {
            Tiers = [Template.Tiers[0] with { Id = "a", Perks = [] }, Template.Tiers[0] with { Id = "b", Perks = [new PerkTemplate { Id = "free-coffee" }] }, Template.Tiers[0] with { Id = "c", Perks = [] }],
        };

        Assert.Equal(AlertPriority.Important, Assert.Single(AlertClassification.Of(PassAlerts.Tier, "c", "b", template)).Priority); // lower tier, new perk
        Assert.Equal(AlertPriority.Routine, Assert.Single(AlertClassification.Of(PassAlerts.Tier, "b", "a", template)).Priority);
    }

    [Fact]
    public void Points_and_offers_are_routine()
    {
        var alerts = AlertClassification.Of(PassAlerts.Points | PassAlerts.Offers, "gold", "gold", Template);

        Assert.Equal([new PassAlert(PassAlerts.Points, AlertPriority.Routine), new PassAlert(PassAlerts.Offers, AlertPriority.Routine)], alerts);
    }
}
