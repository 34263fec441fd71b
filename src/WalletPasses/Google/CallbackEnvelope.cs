using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace WalletPasses.Google;

/// <summary>The outer JSON of a callback, with the signed strings exactly as received.</summary>
internal sealed record CallbackEnvelope(
    string Signature, IReadOnlyList<string> IntermediateKeySignatures, string SignedKey, string ProtocolVersion, string SignedMessage)
{
    public static bool TryParse(string body, [NotNullWhen(true)] out CallbackEnvelope? envelope)
    {
        envelope = null;
        try
        {
            var fields = JsonSerializer.Deserialize<EnvelopeFields>(body, GoogleWalletJson.Options);
            if (fields is
                {
                    Signature: { } signature,
                    IntermediateSigningKey: { SignedKey: { } signedKey, Signatures: { } intermediateKeySignatures },
                    ProtocolVersion: { } protocolVersion,
                    SignedMessage: { } signedMessage,
                }
                && intermediateKeySignatures.All(value => value is not null))
            {
                envelope = new CallbackEnvelope(signature, intermediateKeySignatures!, signedKey, protocolVersion, signedMessage);
            }
        }
        catch (JsonException)
        {
            // Not JSON, or the wrong JSON types: left null.
        }

        return envelope is not null;
    }

    private sealed record EnvelopeFields(
        string? Signature, IntermediateKeyFields? IntermediateSigningKey, string? ProtocolVersion, string? SignedMessage);

    private sealed record IntermediateKeyFields(string? SignedKey, IReadOnlyList<string?>? Signatures);
}
