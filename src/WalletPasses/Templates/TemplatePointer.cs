namespace WalletPasses.Templates;

/// <summary>
/// Which published template version a program issues: blob <c>published/{programId}/current.json</c>. Version 0 is
/// the template at <c>{programId}/</c> from before publishing existed (or seeded at first run).
/// </summary>
/// <param name="Number">1, 2, …: the template version members' passes record.</param>
/// <param name="PublicationId">The publication that made it; its files are below <c>published/{programId}/{publicationId}/</c>.</param>
public sealed record TemplatePointer(long Number, string PublicationId, DateTimeOffset PublishedAt);
