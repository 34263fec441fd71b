namespace WalletPasses.Activity;

/// <summary>The fields every pass-activity message has.</summary>
public interface IPassActivity
{
    string Type { get; }

    string Id { get; }

    DateTimeOffset OccurredAt { get; }
}
