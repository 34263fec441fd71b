using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace WalletPasses.Security;

/// <summary>
/// The one validator of identifiers that become Table Storage keys, URL segments, queue messages or log
/// values. Every pattern is anchored with <c>\A</c> and <c>\z</c>: .NET's <c>$</c> also matches before a
/// final line feed, so <c>^[a-z]+$</c> accepts <c>"m-1\n"</c>, which Table Storage then refuses as a key.
/// </summary>
public sealed partial class IdentifierFormat
{
    private readonly Regex _pattern;

    private IdentifierFormat(string name, Regex pattern, string example)
    {
        Name = name;
        _pattern = pattern;
        Example = example;
    }

    /// <summary>Member ids and event ids: URL-safe ASCII without Table Storage's forbidden <c>/ \ # ?</c>, 1 to 128 characters.</summary>
    public static IdentifierFormat MemberId { get; } = new(nameof(MemberId), MemberIdPattern(), "m-1:2026@shop");

    /// <summary>Staff key names and locations: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.</summary>
    public static IdentifierFormat ShortName { get; } = new(nameof(ShortName), ShortNamePattern(), "store-12.north");

    /// <summary>Idempotency keys (a UUID is typical): 8 to 100 letters, digits, '.', '_', ':' or '-'.</summary>
    public static IdentifierFormat IdempotencyKey { get; } = new(nameof(IdempotencyKey), IdempotencyKeyPattern(), "0b8e8c3a-2f2e-4b7e-9d55-1f1e2d3c4b5a");

    /// <summary>Offer ids: 1 to 64 letters, digits, '-', '_' or '.'.</summary>
    public static IdentifierFormat OfferId { get; } = new(nameof(OfferId), OfferIdPattern(), "spring_sale.2026");

    /// <summary>Apple's device library identifiers and pass type identifiers as they appear in PassKit routes.</summary>
    public static IdentifierFormat PassKitIdentifier { get; } = new(nameof(PassKitIdentifier), PassKitIdentifierPattern(), "pass.com.example.loyalty");

    /// <summary>Pass serial numbers: 32 lowercase hexadecimal digits.</summary>
    public static IdentifierFormat SerialNumber { get; } = new(nameof(SerialNumber), SerialNumberPattern(), "0123456789abcdef0123456789abcdef");

    /// <summary>APNs device tokens: 64 to 200 hexadecimal digits.</summary>
    public static IdentifierFormat PushToken { get; } = new(nameof(PushToken), PushTokenPattern(), new string('a', 64));

    /// <summary>Language tags such as <c>en</c> or <c>de-AT</c>.</summary>
    public static IdentifierFormat LanguageTag { get; } = new(nameof(LanguageTag), LanguageTagPattern(), "de-AT");

    /// <summary>Template tier and perk ids: 1 to 32 lowercase letters, digits or '-', starting with a letter or digit.</summary>
    public static IdentifierFormat TemplateId { get; } = new(nameof(TemplateId), TemplateIdPattern(), "gold-plus");

    public static IReadOnlyList<IdentifierFormat> All { get; } =
        [MemberId, ShortName, IdempotencyKey, OfferId, PassKitIdentifier, SerialNumber, PushToken, LanguageTag, TemplateId];

    public string Name { get; }

    /// <summary>A valid value, for tests and documentation.</summary>
    public string Example { get; }

    public bool IsValid([NotNullWhen(true)] string? value) => value is not null && _pattern.IsMatch(value);

    public override string ToString() => Name;

    [GeneratedRegex(@"\A[A-Za-z0-9\-_.~:@!$&'()*+,;=]{1,128}\z")]
    private static partial Regex MemberIdPattern();

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex ShortNamePattern();

    [GeneratedRegex(@"\A[A-Za-z0-9._:-]{8,100}\z")]
    private static partial Regex IdempotencyKeyPattern();

    [GeneratedRegex(@"\A[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex OfferIdPattern();

    [GeneratedRegex(@"\A[A-Za-z0-9._-]{1,128}\z")]
    private static partial Regex PassKitIdentifierPattern();

    [GeneratedRegex(@"\A[0-9a-f]{32}\z")]
    private static partial Regex SerialNumberPattern();

    [GeneratedRegex(@"\A[0-9A-Fa-f]{64,200}\z")]
    private static partial Regex PushTokenPattern();

    [GeneratedRegex(@"\A[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}\z")]
    private static partial Regex LanguageTagPattern();

    [GeneratedRegex(@"\A[a-z0-9][a-z0-9-]{0,31}\z")]
    private static partial Regex TemplateIdPattern();
}
