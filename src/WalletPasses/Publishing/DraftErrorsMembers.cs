namespace WalletPasses.Publishing;

/// <summary>
/// The extension member of the problem details answered when a draft cannot be published (422, see
/// <see cref="TemplatePublishingApi"/>), as the OpenAPI document declares it: each error of the draft, as its report says it.
/// </summary>
public sealed record DraftErrorsMembers(IReadOnlyList<string> Errors);
