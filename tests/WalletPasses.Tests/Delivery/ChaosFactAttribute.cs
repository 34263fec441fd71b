namespace WalletPasses.Tests.Delivery;

/// <summary>
/// A chaos check runs for minutes with random kill moments, so it is not part of the suite: reported as skipped unless
/// <c>WALLETPASSES_CHAOS_KILLS</c> says how many kills to make.
/// </summary>
public sealed class ChaosFactAttribute : FactAttribute
{
    public const string KillsVariable = "WALLETPASSES_CHAOS_KILLS";

    public ChaosFactAttribute()
    {
        if (Kills == 0)
        {
            Skip = $"A manual chaos check: set {KillsVariable} to the number of kills (README, Delivery).";
        }
    }

    public static int Kills => int.TryParse(Environment.GetEnvironmentVariable(KillsVariable), out var kills) ? kills : 0;
}
