namespace WalletPasses.Events;

public sealed record AcceptedEvents(int Accepted);
