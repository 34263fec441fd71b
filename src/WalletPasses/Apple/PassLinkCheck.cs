namespace WalletPasses.Apple;

public enum PassLinkCheck
{
    Valid,
    Invalid,
    Expired,
}
