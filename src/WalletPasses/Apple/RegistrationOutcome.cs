namespace WalletPasses.Apple;

public enum RegistrationOutcome
{
    Created,
    AlreadyRegistered,
}
