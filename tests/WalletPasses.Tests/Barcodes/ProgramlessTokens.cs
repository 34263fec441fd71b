using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace WalletPasses.Tests.Barcodes;

/// <summary>
/// Barcode tokens as passes carried them before tokens named their program (README, "The barcode token"):
/// <c>WP1.&lt;payload&gt;.&lt;signature&gt;</c>, the 24-byte payload key id (4) | serial (16) | issue time (uint32
/// big-endian), signed ECDSA P-256/SHA-256 in IEEE P1363 form over <c>WP1.&lt;payload&gt;</c>, in low-s form.
/// </summary>
public static class ProgramlessTokens
{
    public static string Issue(ECDsa key, string serialNumber, DateTimeOffset issuedAt)
    {
        var payload = new byte[24];
        SHA256.HashData(key.ExportSubjectPublicKeyInfo()).AsSpan(0, 4).CopyTo(payload);
        Convert.FromHexString(serialNumber).CopyTo(payload, 4);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(20), (uint)issuedAt.ToUnixTimeSeconds());
        var signingInput = "WP1." + Base64Url.EncodeToString(payload);
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return TokenRewrites.LowS(signingInput + "." + Base64Url.EncodeToString(signature));
    }
}
