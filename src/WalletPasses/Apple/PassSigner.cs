using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WalletPasses.Apple;

public interface IPassSigner
{
    /// <summary>The detached CMS signature of manifest.json.</summary>
    byte[] Sign(byte[] manifest, DateTimeOffset signingTime);
}

/// <summary>
/// Detached PKCS#7/CMS SignedData (RFC 5652) over manifest.json: signed by the Pass Type ID certificate in use
/// at signing time (<see cref="PassCertificates.InUseAt"/>; identified by issuer and serial number, readable by every PKCS#7 implementation), with the WWDR
/// intermediate in the certificate set and contentType, signingTime and messageDigest (SHA-256) signed
/// attributes, RSA PKCS#1 v1.5. Everything but the attributes and the RSA signature is encoded once, so a
/// signature costs little more than the RSA operation itself (SignedCms spends as much again per call).
/// Tests check the output with SignedCms and with <c>openssl cms -verify</c>.
/// </summary>
public sealed class PassSigner : IPassSigner
{
    private const string SignedDataOid = "1.2.840.113549.1.7.2";
    private const string DataOid = "1.2.840.113549.1.7.1";
    private const string Sha256Oid = "2.16.840.1.101.3.4.2.1";
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    private const string ContentTypeAttributeOid = "1.2.840.113549.1.9.3";
    private const string MessageDigestAttributeOid = "1.2.840.113549.1.9.4";
    private const string SigningTimeAttributeOid = "1.2.840.113549.1.9.5";
    private static readonly Asn1Tag ContextZero = new(TagClass.ContextSpecific, 0, isConstructed: true);

    private readonly PassCertificates _certificates;
    private readonly Dictionary<PassCertificate, (byte[] Certificates, byte[] SignerIdentifier)> _encoded;

    public PassSigner(PassCertificates certificates)
    {
        _certificates = certificates;
        _encoded = certificates.All.ToDictionary(c => c, c => Encode(c, certificates.Wwdr));
    }

    private static (byte[] Certificates, byte[] SignerIdentifier) Encode(PassCertificate signer, X509Certificate2 wwdr)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSetOf(ContextZero))
        {
            writer.WriteEncodedValue(signer.Certificate.RawData);
            writer.WriteEncodedValue(wwdr.RawData);
        }

        var certificates = writer.Encode();

        writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(signer.Certificate.IssuerName.RawData);
            writer.WriteInteger(signer.Certificate.SerialNumberBytes.Span);
        }

        return (certificates, writer.Encode());
    }

    public byte[] Sign(byte[] manifest, DateTimeOffset signingTime)
    {
        // The certificate valid at signing time: after a rotation, new versions carry the renewed one.
        var signer = _certificates.InUseAt(signingTime);
        var (certificates, signerIdentifier) = _encoded[signer];
        var attributes = SignedAttributes(SHA256.HashData(manifest), signingTime);
        var signature = signer.SigningKey.SignData(attributes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        // Stored as [0] IMPLICIT: the same bytes as the signed SET OF but for the tag.
        attributes[0] = 0xA0;

        var writer = new AsnWriter(AsnEncodingRules.DER, initialCapacity: certificates.Length + signature.Length + 512);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(SignedDataOid);
            using (writer.PushSequence(ContextZero))
            using (writer.PushSequence())
            {
                writer.WriteInteger(1);
                using (writer.PushSetOf())
                {
                    WriteAlgorithm(writer, Sha256Oid, withNullParameters: false);
                }

                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(DataOid); // detached: no eContent
                }

                writer.WriteEncodedValue(certificates);
                using (writer.PushSetOf())
                using (writer.PushSequence())
                {
                    writer.WriteInteger(1);
                    writer.WriteEncodedValue(signerIdentifier);
                    WriteAlgorithm(writer, Sha256Oid, withNullParameters: false);
                    writer.WriteEncodedValue(attributes);
                    WriteAlgorithm(writer, RsaEncryptionOid, withNullParameters: true);
                    writer.WriteOctetString(signature);
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>The DER SET OF signed attributes, the exact bytes the RSA signature covers.</summary>
    private static byte[] SignedAttributes(byte[] messageDigest, DateTimeOffset signingTime)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER, initialCapacity: 128);
        using (writer.PushSetOf())
        {
            WriteAttribute(writer, ContentTypeAttributeOid, w => w.WriteObjectIdentifier(DataOid));
            WriteAttribute(writer, SigningTimeAttributeOid, w => w.WriteUtcTime(signingTime.ToUniversalTime()));
            WriteAttribute(writer, MessageDigestAttributeOid, w => w.WriteOctetString(messageDigest));
        }

        return writer.Encode();
    }

    private static void WriteAttribute(AsnWriter writer, string oid, Action<AsnWriter> writeValue)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            using (writer.PushSetOf())
            {
                writeValue(writer);
            }
        }
    }

    private static void WriteAlgorithm(AsnWriter writer, string oid, bool withNullParameters)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (withNullParameters)
            {
                writer.WriteNull();
            }
        }
    }
}
