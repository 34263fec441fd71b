using WalletPasses.Barcodes;

namespace WalletPasses.Programs;

/// <summary>
/// The programs of one deployment must carry different barcode tags (<see cref="BarcodeTokens.ProgramTag"/>, 32 bits of
/// SHA-256 of the id): the tag is all a staff device limited to some programs reads offline to refuse another program's
/// pass. Two ids share one by chance about once in four billion pairs, but an id can be searched for that does.
/// </summary>
public static class ProgramTags
{
    /// <summary>The program among <paramref name="programIds"/> (other than <paramref name="programId"/>) whose tag <paramref name="programId"/> would share; null when none.</summary>
    public static string? TakenBy(string programId, IEnumerable<string> programIds)
    {
        var tag = BarcodeTokens.ProgramTag(programId);
        return programIds.FirstOrDefault(other => other != programId && BarcodeTokens.ProgramTag(other) == tag);
    }
}
