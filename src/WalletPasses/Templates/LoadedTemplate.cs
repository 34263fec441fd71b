namespace WalletPasses.Templates;

/// <summary>A template and the image files (by file name) it was loaded with.</summary>
public sealed record LoadedTemplate(ProgramTemplate Template, IReadOnlyDictionary<string, byte[]> Images, string Version)
{
    /// <summary>The published template version (<see cref="TemplatePointer.Number"/>); 0 before the program's first publication.</summary>
    public long Number { get; init; }

    /// <summary>When this version was published; null for version 0. Pass Last-Modified dates are never earlier.</summary>
    public DateTimeOffset? PublishedAt { get; init; }
}
