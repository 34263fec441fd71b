using System.Security.Cryptography;

namespace WalletPasses.Apple;

/// <summary>A file of a .pkpass with the digests the manifest and the zip need, computed once.</summary>
public sealed record PassFile(string Name, byte[] Content, string Sha1Hex, uint Crc32)
{
    public static PassFile Create(string name, byte[] content) =>
#pragma warning disable CA5350 // Apple's manifest format is defined with SHA-1; it is an integrity list, the CMS signature is SHA-256.
        new(name, content, Convert.ToHexStringLower(SHA1.HashData(content)), System.IO.Hashing.Crc32.HashToUInt32(content));
#pragma warning restore CA5350

    /// <summary>manifest.json and signature are not listed in the manifest: they need no SHA-1.</summary>
    public static PassFile Unlisted(string name, byte[] content) => new(name, content, "", System.IO.Hashing.Crc32.HashToUInt32(content));
}
