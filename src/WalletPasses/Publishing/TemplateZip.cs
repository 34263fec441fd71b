using System.IO.Compression;
using System.Text.RegularExpressions;
using WalletPasses.Templates;

namespace WalletPasses.Publishing;

/// <summary>
/// The template zip of the publishing API: <c>template.json</c> at the root and PNG files in <c>images/</c>, nothing
/// else. Reading never trusts the archive: its size, entry count and the bytes each entry really inflates to are
/// capped (a zip bomb stops at the cap), and every name must be one of the expected ones, so no path (<c>../</c>,
/// absolute, backslashes) can reach storage. Pure.
/// </summary>
public static partial class TemplateZip
{
    public const string ContentType = "application/zip";

    public static byte[] Write(TemplatePackage package)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, TemplatePackage.TemplateFile, package.TemplateJson);
            foreach (var (name, bytes) in package.Images.OrderBy(image => image.Key, StringComparer.Ordinal))
            {
                Add(zip, TemplatePackage.ImagesFolder + name, bytes);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The package in the zip, or the problem to answer with (400 malformed, 413 over a cap, 422 template.json is not a template).</summary>
    public static (TemplatePackage? Package, TemplateZipProblem? Problem) Read(ReadOnlyMemory<byte> zipBytes, TemplateZipLimits limits)
    {
        if (zipBytes.Length > limits.MaxZipBytes)
        {
            return Refuse(413, $"The zip is larger than {limits.MaxZipBytes} bytes.");
        }

        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(zipBytes.ToArray(), writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            return Refuse(400, "The body is not a zip archive. Send a zip with template.json and images/*.png.");
        }

        using (zip)
        {
            var entries = zip.Entries.Where(entry => entry.FullName != TemplatePackage.ImagesFolder).ToList();
            if (entries.Count > limits.MaxEntries)
            {
                return Refuse(413, $"The zip has {entries.Count} entries; at most {limits.MaxEntries} are accepted.");
            }

            byte[]? templateJson = null;
            var images = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            long total = 0;
            foreach (var entry in entries)
            {
                var name = entry.FullName;
                var isTemplate = name == TemplatePackage.TemplateFile;
                if (!isTemplate && !(name.StartsWith(TemplatePackage.ImagesFolder, StringComparison.Ordinal) && ImageName().IsMatch(name[TemplatePackage.ImagesFolder.Length..])))
                {
                    return Refuse(400, $"Unexpected entry '{Printable(name)}': the zip may hold only template.json and images/<name>.png (letters, digits, '.', '_', '-', '@').");
                }

                if ((isTemplate && templateJson is not null) || images.ContainsKey(name[TemplatePackage.ImagesFolder.Length..]))
                {
                    return Refuse(400, $"Entry '{name}' appears twice.");
                }

                byte[] bytes;
                try
                {
                    bytes = ReadCapped(entry, limits.MaxUncompressedBytes - total);
                }
                catch (InvalidDataException)
                {
                    return Refuse(400, $"Entry '{name}' is damaged.");
                }

                if (bytes.LongLength > limits.MaxUncompressedBytes - total)
                {
                    return Refuse(413, $"The zip's files add up to more than {limits.MaxUncompressedBytes} bytes.");
                }

                total += bytes.LongLength;
                if (isTemplate)
                {
                    templateJson = bytes;
                }
                else
                {
                    images[name[TemplatePackage.ImagesFolder.Length..]] = bytes;
                }
            }

            if (templateJson is null)
            {
                return Refuse(400, "The zip has no template.json at its root.");
            }

            try
            {
                return (new TemplatePackage(templateJson, TemplatePackage.Parse(templateJson), images), null);
            }
            catch (InvalidTemplateException e)
            {
                return Refuse(422, e.Message);
            }
        }
    }

    /// <summary>The entry's bytes, reading at most one byte past <paramref name="remaining"/> whatever its header claims.</summary>
    private static byte[] ReadCapped(ZipArchiveEntry entry, long remaining)
    {
        using var source = entry.Open();
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining + 1 - copy.Length))) > 0)
        {
            copy.Write(buffer, 0, read);
            if (copy.Length > remaining)
            {
                break;
            }
        }

        return copy.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        // PNGs are compressed already; template.json is small.
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(bytes);
    }

    private static string Printable(string name) =>
        new(name.Take(100).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private static (TemplatePackage?, TemplateZipProblem?) Refuse(int status, string detail) => (null, new TemplateZipProblem(status, detail));

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}\\.png$")]
    private static partial Regex ImageName();
}
