using System.Text.Json;

namespace WalletPasses.Templates;

/// <summary>The template shipped inside the app (Templates/Default), uploaded on first run.</summary>
public static class DefaultTemplate
{
    public const string TemplateFileName = "template.json";

    private const string ResourcePrefix = "DefaultTemplate/";

    public static IEnumerable<(string Name, byte[] Content)> Files()
    {
        var assembly = typeof(DefaultTemplate).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var name = resource.Replace('\\', '/');
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal) || name.EndsWith(".md", StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            yield return (name[ResourcePrefix.Length..], copy.ToArray());
        }
    }

    public static ProgramTemplate Template() =>
        JsonSerializer.Deserialize<ProgramTemplate>(Files().Single(f => f.Name == TemplateFileName).Content, BlobTemplateStore.TemplateJson)!;

    public static IReadOnlyDictionary<string, byte[]> Images() =>
        Files().Where(f => f.Name.StartsWith("images/", StringComparison.Ordinal)).ToDictionary(f => f.Name["images/".Length..], f => f.Content);

}
