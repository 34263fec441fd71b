using System.Security.Cryptography;

namespace WalletPasses.Barcodes;

/// <summary>
/// The public keys of <see cref="BarcodeOptions.AcceptedKeysPem"/> / <see cref="BarcodeOptions.AcceptedKeysFile"/>:
/// one or more PEM blocks, each a <c>PUBLIC KEY</c> or a P-256 private key of which only the public half is kept.
/// </summary>
public static class AcceptedBarcodeKeys
{
    /// <summary>The keys, or the reason they cannot be read (a message that says what to fix).</summary>
    public static (IReadOnlyList<ECDsa> Keys, string? Error) Read(BarcodeOptions options)
    {
        var text = options.AcceptedKeysPem;
        if (string.IsNullOrWhiteSpace(text) && !string.IsNullOrWhiteSpace(options.AcceptedKeysFile))
        {
            if (!File.Exists(options.AcceptedKeysFile))
            {
                return ([], $"WalletPasses:Barcode:AcceptedKeysFile: no file at '{Path.GetFullPath(options.AcceptedKeysFile)}'.");
            }

            text = File.ReadAllText(options.AcceptedKeysFile);
        }

        var keys = new List<ECDsa>();
        var rest = (text ?? "").AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var block = rest[fields.Location];
            rest = rest[fields.Location.End..];
            try
            {
                using var key = ECDsa.Create();
                key.ImportFromPem(block.Span);
                if (!IsP256(key))
                {
                    return (Dispose(keys), "WalletPasses:Barcode:AcceptedKeys: every key must be an ECDSA P-256 (prime256v1) key.");
                }

                keys.Add(ECDsa.Create(key.ExportParameters(includePrivateParameters: false)));
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                return (Dispose(keys), "WalletPasses:Barcode:AcceptedKeys: a PEM block is not an ECDSA public or private key; give PUBLIC KEY blocks (openssl ec -in old-key.pem -pubout).");
            }
        }

        return rest.Span.Trim().Length > 0 && keys.Count == 0
            ? ([], "WalletPasses:Barcode:AcceptedKeys holds no PEM block; give PUBLIC KEY blocks (openssl ec -in old-key.pem -pubout).")
            : (keys, null);
    }

    public static bool IsP256(ECDsa key) =>
        key.KeySize == 256 && key.ExportParameters(false).Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value;

    private static List<ECDsa> Dispose(List<ECDsa> keys)
    {
        keys.ForEach(key => key.Dispose());
        return [];
    }
}
