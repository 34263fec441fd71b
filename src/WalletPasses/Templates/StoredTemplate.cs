using Azure;

namespace WalletPasses.Templates;

/// <summary>A template stored as blobs below a prefix: <c>{prefix}template.json</c> and <c>{prefix}images/{file}</c>.</summary>
public sealed record StoredTemplate(TemplatePackage Package, ETag ETag, DateTimeOffset LastModified, string ImagesSignature);
