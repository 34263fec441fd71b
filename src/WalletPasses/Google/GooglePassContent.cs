using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WalletPasses.Members;
using WalletPasses.Programs;
using WalletPasses.Templates;

namespace WalletPasses.Google;

/// <summary>
/// What the program's loyalty class and a member's loyalty object say, from the template and the member
/// (the Google counterpart of the Apple pass.json builder). No I/O.
/// </summary>
/// <remarks>
/// Tier: <c>rewardsTier</c> is a class field, shared by every holder, so one class per program cannot use it.
/// The tier goes into the object's <c>secondaryLoyaltyPoints</c> (shown on the card face beside the points),
/// and the object's hero image is the tier's strip image, so each tier keeps its look. README has the reasoning.
/// </remarks>
public sealed class GooglePassContent(GoogleWalletFeature google, TemplateImageUrls images, IOptions<WalletPassesOptions> options)
{
    public const string CallbacksRoute = "api/google/callbacks";

    /// <summary>Google shows at most 10 messages per object.</summary>
    public const int MaxMessages = 10;

    private const string PerksModuleId = "perks";
    private const string ReferralId = "referral";
    private const string TierMessageIdPrefix = "tier-";

    /// <summary>A program's class: one per program, named after the program id (the default program's is the one it always had).</summary>
    public string ClassIdFor(string programId) => google.ClassIdFor(programId);

    /// <summary>The program of a stored member key (<see cref="ProgramMembers"/>: no storage request).</summary>
    public string ProgramOf(string storageId) => ProgramMembers.ProgramOf(storageId, options.Value.ProgramId);

    /// <summary>The class of the stored member's program.</summary>
    public string ClassIdOfMember(string storageId) => ClassIdFor(ProgramOf(storageId));

    public string ObjectIdFor(string serialNumber) => google.ObjectIdFor(serialNumber);

    /// <param name="programId">The program whose template this is; null: the deployment's configured program.</param>
    public LoyaltyClass LoyaltyClassFor(LoadedTemplate template, string? programId = null)
    {
        programId ??= options.Value.ProgramId;
        var program = template.Template;
        var programName = Localized(program, TemplateKeys.ProgramName, program.ProgramName);
        var memberLabel = Localized(program, TemplateKeys.MemberLabel);
        return new LoyaltyClass
        {
            Id = ClassIdFor(programId),
            IssuerName = program.OrganizationName,
            ProgramName = programName.DefaultValue.Value,
            LocalizedProgramName = programName,
            ProgramLogo = ImageOf(programId, template, program.Images.ProgramLogo ?? throw new InvalidTemplateException(GoogleTemplateRule.ProgramLogoRequired), program.OrganizationName),
            HeroImage = program.Images.Hero is { } hero ? ImageOf(programId, template, hero, program.ProgramName) : null,
            // A class has one colour: the first (entry) tier's; the object's hero image carries the member's tier.
            HexBackgroundColor = GoogleColor(program.Tiers[0].BackgroundColor),
            ReviewStatus = ReviewStatus.UnderReview,
            AccountNameLabel = memberLabel.DefaultValue.Value,
            LocalizedAccountNameLabel = memberLabel,
            CallbackOptions = new CallbackOptions(new Uri(options.Value.BaseUri, CallbacksRoute).AbsoluteUri),
            MultipleDevicesAndHoldersAllowedStatus = MultipleDevicesAndHoldersAllowedStatus.OneUserAllDevices,
            AppLinkData = GoogleValueAddedModules.AppLink(program, key => Localized(program, key)),
        };
    }

    /// <summary>
    /// The member's object with everything it shows. <paramref name="offerMessages"/> are the offers to send
    /// as (silent) messages in this body; new offers are added one by one with addMessage so they can notify.
    /// </summary>
    public LoyaltyObject LoyaltyObjectFor(LoadedTemplate template, Member member, IEnumerable<MemberOffer> offerMessages)
    {
        var programId = ProgramOf(member.MemberId);
        var program = template.Template;
        var language = member.Profile.Language;
        var tier = program.FindTier(member.Profile.Tier);
        var textModules = new List<TextModuleData>();
        if (tier is { Perks.Count: > 0 })
        {
            textModules.Add(new TextModuleData
            {
                Id = PerksModuleId,
                Header = program.Text(TemplateKeys.PerksLabel, language),
                Body = string.Join('\n', tier.Perks.Select(perk => program.Text(TemplateKeys.Perk(perk.Id), language))),
            });
        }

        var links = new List<LinkUri>();
        if (member.Profile.ReferralUrl is { } referralUrl)
        {
            textModules.Add(new TextModuleData { Id = ReferralId, Header = program.Text(TemplateKeys.ReferralLabel, language), Body = program.Text(TemplateKeys.ReferralText, language) });
            links.Add(new LinkUri { Id = ReferralId, Uri = referralUrl, Description = program.Text(TemplateKeys.ReferralLabel, language) });
        }

        return new LoyaltyObject
        {
            Id = ObjectIdFor(member.Pass.SerialNumber),
            ClassId = ClassIdFor(programId),
            State = LoyaltyObjectState.Active,
            // The member id the program's backend knows, not the stored key that keeps programs apart.
            AccountId = ProgramMembers.MemberIdOf(member.MemberId),
            AccountName = member.Profile.DisplayName,
            LoyaltyPoints = new LoyaltyPoints
            {
                Label = program.Text(TemplateKeys.PointsLabel, language),
                // Google's int balance is 32-bit; a larger ledger value is shown as text.
                Balance = member.Profile.Points <= int.MaxValue
                    ? LoyaltyPointsBalance.FromInt((int)member.Profile.Points)
                    : LoyaltyPointsBalance.FromString(member.Profile.Points.ToString(CultureInfo.InvariantCulture)),
            },
            SecondaryLoyaltyPoints = new LoyaltyPoints
            {
                Label = program.Text(TemplateKeys.TierLabel, language),
                Balance = LoyaltyPointsBalance.FromString(TierName(program, member.Profile.Tier, language)),
            },
            Barcode = new Barcode { Type = BarcodeType.QrCode, Value = member.Pass.BarcodeMessage, AlternateText = member.Pass.BarcodeAltText.Length > 0 ? member.Pass.BarcodeAltText : null },
            HeroImage = tier is null ? null : ImageOf(programId, template, tier.Strip + "@3x.png", TierName(program, tier.Id, language)),
            // Arrays are sent even when empty: in a patch an array replaces the stored one, which clears it.
            TextModulesData = textModules,
            LinksModuleData = new LinksModuleData(links),
            Messages = offerMessages.Select(offer => OfferMessage(offer, notify: false)).ToArray(),
            ValueAddedModuleData = GoogleValueAddedModules.For(program, tier, language, member.Offers),
        };
    }

    /// <summary>
    /// A voided pass: sent as a full update (PUT), which clears every field it does not set, so the name,
    /// account id, barcode, links and offers of an erased member leave Google too.
    /// </summary>
    public LoyaltyObject Voided(string programId, string serialNumber) => new()
    {
        Id = ObjectIdFor(serialNumber),
        ClassId = ClassIdFor(programId),
        State = LoyaltyObjectState.Inactive,
    };

    /// <summary>The offers shown as messages beside <paramref name="tierMessage"/>, within Google's 10: the newest.</summary>
    public static MemberOffer[] OfferMessagesBeside(IEnumerable<MemberOffer> offers, Message? tierMessage) =>
        offers.TakeLast(MaxMessages - (tierMessage is null ? 0 : 1)).ToArray();

    /// <summary>
    /// Announces the member's new tier (the template's <c>change.tier</c> text, as Apple shows it). A message, because
    /// the tier is not among the fields whose update Google notifies about. Its id names the tier, so a sync retried
    /// after the member changed again still recognises the announcement an earlier attempt left on the object. An alert
    /// deferred past quiet hours is a new message (<paramref name="deferredVersion"/> in its id) that replaces the one
    /// the object got silently.
    /// </summary>
    public Message TierMessage(LoadedTemplate template, Member member, bool notify, long? deferredVersion = null)
    {
        var program = template.Template;
        var language = member.Profile.Language;
        return new Message
        {
            Id = TierMessageIdPrefix + member.Profile.Tier + (deferredVersion is { } version ? "-" + version : ""),
            Header = program.Text(TemplateKeys.TierLabel, language),
            Body = program.Text(TemplateKeys.TierChanged, language).Replace("%@", TierName(program, member.Profile.Tier, language), StringComparison.Ordinal),
            MessageType = notify ? MessageType.TextAndNotify : MessageType.Text,
        };
    }

    public static Message OfferMessage(MemberOffer offer, bool notify) => new()
    {
        Id = offer.Id,
        Header = offer.Title,
        Body = offer.Text,
        MessageType = notify ? MessageType.TextAndNotify : MessageType.Text,
        DisplayInterval = offer.ExpiresAt is { } expiresAt ? new TimeInterval { End = WalletDateTime.From(expiresAt) } : null,
    };

    /// <summary>Identifies what a message for an offer says, so a changed offer is sent again.</summary>
    public static string Fingerprint(MemberOffer offer) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes($"{offer.Title}\n{offer.Text}\n{offer.ExpiresAt?.ToUnixTimeSeconds()}")).AsSpan(0, 12));

    private static string TierName(ProgramTemplate program, string tierId, string? language)
    {
        var key = TemplateKeys.Tier(tierId);
        var name = program.Text(key, language);
        return name == key ? tierId : name; // a tier the template no longer has
    }

    private Image ImageOf(string programId, LoadedTemplate template, string file, string description) => new()
    {
        SourceUri = new ImageUri((images.For(programId, template, file) ?? throw new InvalidTemplateException($"Image '{file}' is missing.")).AbsoluteUri),
        ContentDescription = new LocalizedString { DefaultValue = new TranslatedString(template.Template.DefaultLanguage, description) },
    };

    /// <summary>A template text in the default language with every translation the template has.</summary>
    private static LocalizedString Localized(ProgramTemplate program, string key, string? fallback = null)
    {
        string? TextIn(string language) =>
            program.Strings.TryGetValue(language, out var strings) && strings.TryGetValue(key, out var text) ? text : null;

        var translations = program.Strings.Keys
            .Where(language => language != program.DefaultLanguage)
            .Order(StringComparer.Ordinal)
            .Select(language => TextIn(language) is { } text ? new TranslatedString(language, text) : null)
            .OfType<TranslatedString>()
            .ToArray();
        return new LocalizedString
        {
            DefaultValue = new TranslatedString(program.DefaultLanguage, TextIn(program.DefaultLanguage) ?? fallback ?? key),
            TranslatedValues = translations.Length > 0 ? translations : null,
        };
    }

    private static string GoogleColor(string templateColor)
    {
        var color = HexColor.Parse(templateColor);
        return string.Create(CultureInfo.InvariantCulture, $"#{color.Red:x2}{color.Green:x2}{color.Blue:x2}");
    }
}
