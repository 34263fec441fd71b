using System.Buffers.Binary;

namespace WalletPasses.Conformance;

/// <summary>
/// The size of a PNG from its header, without decoding it: the 8-byte signature, then the IHDR chunk whose first
/// fields are width and height (big-endian). PNG specification (W3C, 3rd edition), sections 5.2 and 11.2.2.
/// </summary>
public readonly record struct PngImage(int Width, int Height)
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool HasSignature(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Signature);

    /// <returns>The image's size, or null when the bytes are not a PNG (no signature, or no IHDR chunk first).</returns>
    public static PngImage? Read(ReadOnlySpan<byte> bytes)
    {
        // Signature (8), chunk length (4), "IHDR" (4), width (4), height (4).
        if (bytes.Length < 24 || !HasSignature(bytes) || !bytes.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return null;
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(bytes[20..]);
        return width is 0 or > int.MaxValue || height is 0 or > int.MaxValue ? null : new PngImage((int)width, (int)height);
    }

    public override string ToString() => $"{Width}×{Height}";
}
