namespace WalletPasses.Google;

/// <summary>Schema <c>LocalizedString</c>.</summary>
public sealed record LocalizedString
{
    public required TranslatedString DefaultValue { get; init; }
    public IReadOnlyList<TranslatedString>? TranslatedValues { get; init; }
}

/// <summary>Schema <c>TranslatedString</c>; <paramref name="Language"/> is a BCP 47 tag such as <c>en-US</c>.</summary>
public sealed record TranslatedString(string Language, string Value);
