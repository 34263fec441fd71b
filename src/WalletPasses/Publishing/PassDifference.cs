namespace WalletPasses.Publishing;

/// <summary>
/// How one member's pass would differ under a new template version.
/// </summary>
/// <param name="PassFields">Apple pass.json fields (as displayed: template strings resolved in the member's language) and images that differ.</param>
/// <param name="AlertFields">Of those, fields with a changeMessage whose shown value differs: Wallet shows the change on the lock screen.</param>
/// <param name="ObjectFields">Top-level Google loyalty object fields that differ (empty without Google Wallet).</param>
public sealed record PassDifference(IReadOnlyList<string> PassFields, IReadOnlyList<string> AlertFields, IReadOnlyList<string> ObjectFields)
{
    public bool PassChanges => PassFields.Count > 0;
}
