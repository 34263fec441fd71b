namespace WalletPasses.Templates;

/// <summary>A template and the image files (by file name) it was loaded with.</summary>
public sealed record LoadedTemplate(ProgramTemplate Template, IReadOnlyDictionary<string, byte[]> Images, string Version);
