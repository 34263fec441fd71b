namespace WalletPasses.Templates;

/// <summary>
/// A program's unpublished template as uploaded: the bytes of <c>template.json</c> (checked, not trusted: a draft may be
/// invalid JSON) and its images by file name. <paramref name="Version"/> changes whenever the draft does (the blob ETag).
/// </summary>
public sealed record TemplateDraft(string ProgramId, byte[] TemplateJson, IReadOnlyDictionary<string, byte[]> Images, string Version);
