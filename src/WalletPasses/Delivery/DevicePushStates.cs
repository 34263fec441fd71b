namespace WalletPasses.Delivery;

public static class DevicePushStates
{
    /// <summary>APNs accepted the push.</summary>
    public const string Pushed = "pushed";

    /// <summary>APNs (or the network) failed; pushed again on the next attempt.</summary>
    public const string Failed = "push-failed";

    /// <summary>APNs says the token is no longer valid (410, bad token): the registration was removed.</summary>
    public const string Gone = "gone";
}
