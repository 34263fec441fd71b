using Azure;
using Microsoft.Extensions.Options;
using WalletPasses.Storage;

namespace WalletPasses.Barcodes;

/// <summary>
/// Issues a pass's barcode (token + short code) and re-issues it under the screenshot policy: when a pass gets a
/// new version and its barcode is older than <see cref="BarcodeOptions.ReissueAfter"/>, the new version carries a
/// new barcode, and the old one checks as <c>outdated</c> from then on.
/// </summary>
public sealed class PassBarcodes(BarcodeTokens tokens, StorageClients storage, IOptions<BarcodeOptions> options)
{
    private const int MaxAttempts = 5;

    public async Task<PassBarcode> IssueAsync(string serialNumber, string programId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var token = tokens.Issue(serialNumber, programId, now);
        for (var attempt = 0; ; attempt++)
        {
            var code = ShortCodes.New();
            try
            {
                await storage.Passes.AddEntityAsync(new ShortCodeEntity { PartitionKey = code, Token = token }, cancellationToken);
                return new PassBarcode(token, ShortCodes.Display(code));
            }
            catch (RequestFailedException e) when (e.Status == 409 && attempt < MaxAttempts)
            {
                // 50 random bits collide about never; when they do, draw again.
            }
        }
    }

    /// <summary>A new barcode for a pass version made at <paramref name="now"/>, or null while the current one is young enough to keep.</summary>
    /// A current token that no longer verifies (issued before the canonical-form rule, or under another key) is replaced too,
    /// and so is one signed with a key that no longer signs (a rotation): the pass moves to the new key before the old is retired,
    /// and a WP1 token, which names no program: offline verifiers limited to some programs cannot tell its program.
    public async Task<PassBarcode?> ReissueIfDueAsync(string serialNumber, string programId, string currentToken, DateTimeOffset now, CancellationToken cancellationToken) =>
        tokens.Verify(currentToken) is { IsValid: true, IssuedAt: { } issuedAt, KeyId: { } keyId, ProgramTag: { } tag }
            && keyId == tokens.KeyId && tag == BarcodeTokens.ProgramTag(programId) && now - issuedAt < options.Value.ReissueAfter
            ? null
            : await IssueAsync(serialNumber, programId, now, cancellationToken);

    /// <summary>The token a typed short code stands for, or null when the text is no code or no pass has it.</summary>
    public async Task<string?> TokenOfShortCodeAsync(string text, CancellationToken cancellationToken)
    {
        if (ShortCodes.Normalize(text) is not { } code)
        {
            return null;
        }

        var row = await storage.Passes.GetIfExistsAsync<ShortCodeEntity>(code, ShortCodeEntity.RowKeyValue, cancellationToken);
        return row?.Token;
    }
}
