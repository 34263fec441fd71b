namespace WalletPasses.Activity;

/// <summary>The <c>platform</c> of install and remove messages.</summary>
public static class PassPlatforms
{
    public const string Apple = "apple";

    public const string Google = "google";
}
