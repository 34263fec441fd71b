namespace WalletPasses.Staff;

/// <summary>The configured parts of the redemption rules (see <see cref="StaffOptions"/>).</summary>
/// <param name="PerkDayZone">The time zone whose calendar day a once-per-day perk is limited to.</param>
/// <param name="HoldLifetime">How long requested points stay held if the backend never answers.</param>
public sealed record RedemptionRules(TimeZoneInfo PerkDayZone, TimeSpan HoldLifetime)
{
    /// <summary>The deployment's configured program: how a stored member key reads as program and member id (<see cref="Programs.ProgramMember"/>).</summary>
    public string DefaultProgramId { get; init; } = "";
}
