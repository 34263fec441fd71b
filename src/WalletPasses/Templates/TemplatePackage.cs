using System.Text.Json;

namespace WalletPasses.Templates;

/// <summary>
/// A template as files: <c>template.json</c> (its bytes as uploaded, and parsed) and the images by file name. The
/// unit of a draft, of a published version, and of the zip the publishing API exchanges.
/// </summary>
public sealed record TemplatePackage(byte[] TemplateJson, ProgramTemplate Template, IReadOnlyDictionary<string, byte[]> Images)
{
    public const string TemplateFile = "template.json";
    public const string ImagesFolder = "images/";

    /// <summary>Parses template.json; <see cref="InvalidTemplateException"/> when it is not a template.</summary>
    public static ProgramTemplate Parse(ReadOnlySpan<byte> templateJson)
    {
        try
        {
            return JsonSerializer.Deserialize<ProgramTemplate>(templateJson, BlobTemplateStore.TemplateJson)
                ?? throw new InvalidTemplateException("template.json is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidTemplateException($"template.json is not a valid template: {e.Message}");
        }
    }

    public static TemplatePackage From(LoadedTemplate loaded) =>
        new(JsonSerializer.SerializeToUtf8Bytes(loaded.Template, IndentedJson), loaded.Template, loaded.Images);

    private static readonly JsonSerializerOptions IndentedJson = new(BlobTemplateStore.TemplateJson) { WriteIndented = true };
}
