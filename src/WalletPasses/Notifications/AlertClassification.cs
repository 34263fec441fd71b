using WalletPasses.Templates;

namespace WalletPasses.Notifications;

/// <summary>The priority of each alert-worthy change of a version. Pure.</summary>
public static class AlertClassification
{
    /// <summary>
    /// Points and offers are routine. A tier change is important when it is an upgrade (a tier listed later in the
    /// template, whose tiers go from entry level up) or unlocks a perk the old tier did not have; otherwise routine.
    /// </summary>
    public static IReadOnlyList<PassAlert> Of(PassAlerts changes, string tierBefore, string tierAfter, ProgramTemplate template)
    {
        var alerts = new List<PassAlert>();
        if (changes.HasFlag(PassAlerts.Tier))
        {
            alerts.Add(new PassAlert(PassAlerts.Tier, IsUpgrade(tierBefore, tierAfter, template) || UnlocksPerks(tierBefore, tierAfter, template) ? AlertPriority.Important : AlertPriority.Routine));
        }

        if (changes.HasFlag(PassAlerts.Points))
        {
            alerts.Add(new PassAlert(PassAlerts.Points, AlertPriority.Routine));
        }

        if (changes.HasFlag(PassAlerts.Offers))
        {
            alerts.Add(new PassAlert(PassAlerts.Offers, AlertPriority.Routine));
        }

        return alerts;
    }

    private static bool IsUpgrade(string before, string after, ProgramTemplate template) =>
        IndexOf(after, template) > IndexOf(before, template);

    private static bool UnlocksPerks(string before, string after, ProgramTemplate template) =>
        (template.FindTier(after)?.Perks ?? []).Select(p => p.Id).Except((template.FindTier(before)?.Perks ?? []).Select(p => p.Id)).Any();

    private static int IndexOf(string tier, ProgramTemplate template)
    {
        for (var i = 0; i < template.Tiers.Count; i++)
        {
            if (template.Tiers[i].Id == tier)
            {
                return i;
            }
        }

        return -1;
    }
}
