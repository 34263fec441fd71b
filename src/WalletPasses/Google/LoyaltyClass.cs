using System.Text.Json.Serialization;

namespace WalletPasses.Google;

/// <summary>Schema <c>LoyaltyClass</c>: what every holder of the program's passes shares.</summary>
public sealed record LoyaltyClass
{
    /// <summary><c>&lt;issuerId&gt;.&lt;suffix&gt;</c>; the suffix may hold letters, digits, '.', '_' and '-'.</summary>
    public required string Id { get; init; }
    public string? IssuerName { get; init; }
    public LocalizedString? LocalizedIssuerName { get; init; }
    public string? ProgramName { get; init; }
    public LocalizedString? LocalizedProgramName { get; init; }
    public Image? ProgramLogo { get; init; }
    public Image? HeroImage { get; init; }
    /// <summary>For example <c>#1a73e8</c>; a class field only (objects have no colour).</summary>
    public string? HexBackgroundColor { get; init; }
    /// <summary>Send <see cref="Google.ReviewStatus.UnderReview"/> or <see cref="Google.ReviewStatus.Draft"/>; Google rejects <c>APPROVED</c> from issuers.</summary>
    public ReviewStatus? ReviewStatus { get; init; }
    public string? RewardsTier { get; init; }
    public string? RewardsTierLabel { get; init; }
    /// <summary>The label of the object's <c>accountName</c>, such as "Member".</summary>
    public string? AccountNameLabel { get; init; }
    public LocalizedString? LocalizedAccountNameLabel { get; init; }
    public CallbackOptions? CallbackOptions { get; init; }
    /// <summary>ISO 3166-1 alpha-2 country code.</summary>
    public string? CountryCode { get; init; }
    public MultipleDevicesAndHoldersAllowedStatus? MultipleDevicesAndHoldersAllowedStatus { get; init; }
    /// <summary>The app button on the front of every pass of the class (an object's own app link would replace it).</summary>
    public AppLinkData? AppLinkData { get; init; }
}

/// <summary>Schema <c>CallbackOptions</c>: the HTTPS URL Google POSTs save/delete callbacks to.</summary>
public sealed record CallbackOptions(string Url);

[JsonConverter(typeof(JsonStringEnumConverter<ReviewStatus>))]
public enum ReviewStatus
{
    [JsonStringEnumMemberName("REVIEW_STATUS_UNSPECIFIED")] Unspecified,
    [JsonStringEnumMemberName("UNDER_REVIEW")] UnderReview,
    [JsonStringEnumMemberName("APPROVED")] Approved,
    [JsonStringEnumMemberName("REJECTED")] Rejected,
    [JsonStringEnumMemberName("DRAFT")] Draft,
}

[JsonConverter(typeof(JsonStringEnumConverter<MultipleDevicesAndHoldersAllowedStatus>))]
public enum MultipleDevicesAndHoldersAllowedStatus
{
    [JsonStringEnumMemberName("STATUS_UNSPECIFIED")] Unspecified,
    [JsonStringEnumMemberName("MULTIPLE_HOLDERS")] MultipleHolders,
    [JsonStringEnumMemberName("ONE_USER_ALL_DEVICES")] OneUserAllDevices,
    [JsonStringEnumMemberName("ONE_USER_ONE_DEVICE")] OneUserOneDevice,
}
