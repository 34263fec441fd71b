using WalletPasses.Google;

namespace WalletPasses.Tests.Google;

/// <summary>Realistic loyalty resources with every modelled field set, shared by the Google tests.</summary>
public static class GoogleWalletTestData
{
    public const string IssuerId = "3388000000012345678";
    public const string ClassId = IssuerId + ".walletpasses-loyalty";

    public static string ObjectIdFor(string memberId) => $"{IssuerId}.member-{memberId}";

    public static LoyaltyClass LoyaltyClass() => new()
    {
        Id = ClassId,
        IssuerName = "Example Coffee",
        LocalizedIssuerName = new LocalizedString
        {
            DefaultValue = new TranslatedString("en-US", "Example Coffee"),
            TranslatedValues = [new TranslatedString("de", "Beispiel Kaffee")],
        },
        ProgramName = "Bean Points",
        LocalizedProgramName = new LocalizedString { DefaultValue = new TranslatedString("en-US", "Bean Points") },
        ProgramLogo = new Image
        {
            SourceUri = new ImageUri("https://cdn.example.com/logo.png"),
            ContentDescription = new LocalizedString { DefaultValue = new TranslatedString("en-US", "Example Coffee logo") },
        },
        HeroImage = new Image { SourceUri = new ImageUri("https://cdn.example.com/hero.png") },
        HexBackgroundColor = "#3c2a21",
        ReviewStatus = ReviewStatus.UnderReview,
        RewardsTier = "Gold",
        RewardsTierLabel = "Tier",
        CallbackOptions = new CallbackOptions("https://wallet.example.com/api/google/callbacks"),
        CountryCode = "DE",
        MultipleDevicesAndHoldersAllowedStatus = MultipleDevicesAndHoldersAllowedStatus.OneUserAllDevices,
    };

    public static LoyaltyObject LoyaltyObject(string memberId = "m-42", int points = 1250) => new()
    {
        Id = ObjectIdFor(memberId),
        ClassId = ClassId,
        State = LoyaltyObjectState.Active,
        AccountId = memberId,
        AccountName = "Jane Doe",
        LoyaltyPoints = new LoyaltyPoints { Label = "Points", Balance = LoyaltyPointsBalance.FromInt(points) },
        SecondaryLoyaltyPoints = new LoyaltyPoints { Label = "Tier", Balance = LoyaltyPointsBalance.FromString("Gold") },
        Barcode = new Barcode { Type = BarcodeType.QrCode, Value = "wp1.m-42.c2lnbmF0dXJl", AlternateText = memberId },
        TextModulesData = [new TextModuleData { Id = "perks", Header = "Your perks", Body = "Free refill on Fridays" }],
        LinksModuleData = new LinksModuleData(
            [new LinkUri { Uri = "https://shop.example/r/JANE10", Description = "Give $10, get $10", Id = "referral" }]),
        Messages =
        [
            new Message
            {
                Id = "welcome",
                Header = "Welcome",
                Body = "Thanks for joining Bean Points.",
                MessageType = MessageType.Text,
                DisplayInterval = new TimeInterval
                {
                    Start = WalletDateTime.From(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero)),
                    End = WalletDateTime.From(new DateTimeOffset(2026, 12, 23, 10, 0, 0, TimeSpan.Zero)),
                },
            },
        ],
        NotifyPreference = NotifyPreference.NotifyOnUpdate,
        HeroImage = new Image { SourceUri = new ImageUri("https://cdn.example.com/member-hero.png") },
    };
}

/// <summary>A clock the test sets.</summary>
public sealed class ManualTimeProvider(DateTimeOffset utcNow) : TimeProvider
{
    public DateTimeOffset UtcNow { get; set; } = utcNow;

    public override DateTimeOffset GetUtcNow() => UtcNow;
}
