using Azure;

namespace WalletPasses.Templates;

/// <summary>A template folder's files as stored (<see cref="TemplateBlobFolder.ReadFilesAsync"/>): template.json unparsed, images by file name.</summary>
public sealed record TemplateFiles(byte[] TemplateJson, IReadOnlyDictionary<string, byte[]> Images, ETag ETag, DateTimeOffset LastModified, string ImagesSignature);
