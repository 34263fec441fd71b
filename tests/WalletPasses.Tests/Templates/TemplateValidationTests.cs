using System.Text;
using WalletPasses.Apple;
using WalletPasses.Templates;

namespace WalletPasses.Tests.Templates;

/// <summary>
/// Template validation refuses a template whose passes would show a raw key or a broken alert. Apple's field
/// reference (https://developer.apple.com/documentation/walletpasses/passfieldcontent): changeMessage is a
/// "format string for the alert text that is displayed when the pass is updated. The format string must contain
/// the escape %@, which is replaced with the field's new value."
/// </summary>
public sealed class TemplateValidationTests
{
    private static ProgramTemplate WithDefaultString(string key, string? text)
    {
        var template = DefaultTemplate.Template();
        var strings = template.Strings.ToDictionary(
            language => language.Key,
            language => (IReadOnlyDictionary<string, string>)language.Value.Where(entry => entry.Key != key || language.Key != template.DefaultLanguage)
                .Concat(text is not null && language.Key == template.DefaultLanguage ? [KeyValuePair.Create(key, text)] : [])
                .ToDictionary());
        return template with { Strings = strings };
    }

    [Fact]
    public void The_default_template_is_valid()
    {
        Assert.Empty(TemplateValidation.Validate(DefaultTemplate.Template(), DefaultTemplate.Images(), []));
    }

    [Fact]
    public void A_template_without_the_offer_alert_text_is_refused()
    {
        var errors = TemplateValidation.Validate(WithDefaultString(TemplateKeys.OfferChanged, null), DefaultTemplate.Images(), []);

        Assert.Contains("String 'change.offer' is missing in the default language.", errors);
    }

    [Fact]
    public void An_alert_text_without_the_new_value_placeholder_is_refused()
    {
        var errors = TemplateValidation.Validate(WithDefaultString(TemplateKeys.PointsChanged, "Your points changed"), DefaultTemplate.Images(), []);

        Assert.Contains(errors, error => error.Contains("'change.points'", StringComparison.Ordinal) && error.Contains("%@", StringComparison.Ordinal));
    }

    // "the escape %@, which is replaced with the field's new value": Wallet formats the message with that one value, so a
    // second %@ has no value to take (a format string reading an argument that was never passed).
    [Theory]
    [InlineData("You now have %@ points (was %@)")]
    [InlineData("%@%@")]
    public void An_alert_text_with_more_than_one_placeholder_is_refused(string text)
    {
        var errors = TemplateValidation.Validate(WithDefaultString(TemplateKeys.PointsChanged, text), DefaultTemplate.Images(), []);

        Assert.Contains(errors, error => error.Contains("'change.points'", StringComparison.Ordinal) && error.Contains("exactly once", StringComparison.Ordinal));
    }

    [Fact]
    public void A_literal_percent_in_an_alert_text_reaches_the_pass_escaped_and_the_placeholder_stays()
    {
        var template = WithDefaultString(TemplateKeys.OfferChanged, "10% off, 100% yours: %@");

        var strings = Encoding.UTF8.GetString(AppleTemplateAssets.PassStrings(template, template.DefaultLanguage));

        Assert.Contains("\"change.offer\" = \"10%% off, 100%% yours: %@\";", strings, StringComparison.Ordinal);
        Assert.Contains("\"change.points\" = \"You now have %@ points\";", strings, StringComparison.Ordinal);
    }

    [Fact]
    public void A_percent_in_a_text_that_is_not_an_alert_is_left_as_written()
    {
        var template = WithDefaultString(TemplateKeys.ReferralText, "Friends get 10% off");

        var strings = Encoding.UTF8.GetString(AppleTemplateAssets.PassStrings(template, template.DefaultLanguage));

        Assert.Contains("\"text.referral\" = \"Friends get 10% off\";", strings, StringComparison.Ordinal);
    }
}
