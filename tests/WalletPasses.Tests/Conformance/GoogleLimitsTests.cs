using System.Text.Json;
using System.Text.RegularExpressions;
using WalletPasses.Google;
using WalletPasses.Templates;
using WalletPasses.Conformance;
using WalletPasses.Tests.Google;
using static WalletPasses.Tests.Conformance.ConformanceTesting;

namespace WalletPasses.Tests.Conformance;

/// <summary>
/// The Google limits the conformance check applies, held to the walletobjects v1 discovery document vendored in
/// Google/TestData (the field descriptions state each recommended maximum), and the objects it checks held to its schemas.
/// </summary>
public sealed partial class GoogleLimitsTests
{
    private static readonly Lazy<JsonElement> Schemas = new(() =>
        JsonDocument.Parse(File.ReadAllText(GoogleReferenceFiles.Path("walletobjects.v1.discovery.json"))).RootElement.GetProperty("schemas").Clone());

    public static TheoryData<string, string, int> Limits => new()
    {
        { "LoyaltyClass", "programName", GoogleTemplateRules.ProgramNameLength },
        { "LoyaltyClass", "localizedProgramName", GoogleTemplateRules.ProgramNameLength },
        { "LoyaltyClass", "issuerName", GoogleTemplateRules.IssuerNameLength },
        { "LoyaltyClass", "accountNameLabel", GoogleTemplateRules.AccountNameLabelLength },
        { "LoyaltyClass", "localizedAccountNameLabel", GoogleTemplateRules.AccountNameLabelLength },
        { "LoyaltyPoints", "label", GoogleTemplateRules.PointsLabelLength },
        { "LoyaltyPoints", "balance", GoogleTemplateRules.PointsBalanceLength },
        { "TextModuleData", "header", GoogleTemplateRules.TextModuleHeaderLength },
        { "TextModuleData", "body", GoogleTemplateRules.TextModuleBodyLength },
        { "Uri", "description", GoogleTemplateRules.LinkDescriptionLength },
        { "LoyaltyObject", "textModulesData", GoogleTemplateRules.MaxModules },
        { "LoyaltyObject", "messages", GoogleTemplateRules.MaxModules },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public void Each_limit_is_the_one_the_discovery_document_states(string schema, string property, int limit)
    {
        var description = Schemas.Value.GetProperty(schema).GetProperty("properties").GetProperty(property).GetProperty("description").GetString()!;

        var stated = LimitPattern().Match(description);

        Assert.True(stated.Success, description);
        Assert.Equal(limit, int.Parse(stated.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_class_and_every_tier_and_language_object_the_check_builds_match_the_discovery_schemas()
    {
        var context = Context();
        var loaded = new LoadedTemplate(Template, Images(), "v1");
        var errors = new List<SchemaError>();

        errors.AddRange(DiscoverySchemaValidator.WalletObjects.Validate("LoyaltyClass", JsonSerializer.Serialize(context.Google!.LoyaltyClassFor(loaded), GoogleWalletJson.Options)));
        foreach (var tier in Template.Tiers)
        {
            foreach (var language in Template.Strings.Keys)
            {
                var loyaltyObject = context.Google.LoyaltyObjectFor(loaded, GoogleTemplateRules.LongestMember(tier, language), []);
                errors.AddRange(DiscoverySchemaValidator.WalletObjects.Validate("LoyaltyObject", JsonSerializer.Serialize(loyaltyObject, GoogleWalletJson.Options)));
            }
        }

        Assert.Empty(errors);
    }

    [GeneratedRegex(@"(maximum length is|after the first|Recommended maximum is|maximum number of these fields(?: displayed)? is) (?<n>\d+)")]
    private static partial Regex LimitPattern();
}
