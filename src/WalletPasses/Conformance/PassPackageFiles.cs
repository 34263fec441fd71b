using System.IO.Compression;

namespace WalletPasses.Conformance;

/// <summary>The files of a .pkpass (a zip: Apple, "Building a Pass"), by path, whatever the generator and file order.</summary>
public static class PassPackageFiles
{
    /// <summary>More than this unpacked is not a pass but a zip bomb; reading stops there.</summary>
    public const long MaxUnpackedBytes = 64L * 1024 * 1024;

    public const string PassJson = "pass.json";
    public const string Manifest = "manifest.json";
    public const string Signature = "signature";

    /// <returns>Path to bytes (folders left out), or null with <paramref name="error"/> when the bytes are not a readable zip.</returns>
    public static IReadOnlyDictionary<string, byte[]>? Read(byte[] pkpass, out string? error)
    {
        error = null;
        try
        {
            using var zip = new ZipArchive(new MemoryStream(pkpass, writable: false), ZipArchiveMode.Read);
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            long total = 0;
            foreach (var entry in zip.Entries.Where(entry => !entry.FullName.EndsWith('/')))
            {
                total += entry.Length;
                if (total > MaxUnpackedBytes)
                {
                    error = $"it unpacks to more than {MaxUnpackedBytes / (1024 * 1024)} MB";
                    return null;
                }

                using var stream = entry.Open();
                using var copy = new MemoryStream((int)entry.Length);
                stream.CopyTo(copy);
                files[entry.FullName] = copy.ToArray();
            }

            return files;
        }
        catch (InvalidDataException e)
        {
            error = "it is not a zip file (" + e.Message + ")";
            return null;
        }
    }
}
