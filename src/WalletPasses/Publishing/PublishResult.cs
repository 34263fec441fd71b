namespace WalletPasses.Publishing;

/// <summary>What <see cref="TemplatePublisher.PublishAsync"/> answers: the outcome, the publication when there is one, and the draft's errors when invalid.</summary>
public sealed record PublishResult(PublishOutcome Outcome, PublicationEntity? Publication, IReadOnlyList<string> Errors);
