using WalletPasses.Popups;
using WalletPasses.Templates;

namespace WalletPasses.Tests.Popups;

/// <summary>Pop-up input checks (pure): the ranges Apple (Pass.Locations) and Google (MerchantLocation: "Values outside these bounds will be rejected") accept.</summary>
public sealed class PopupValidationTests
{
    private static readonly ProgramTemplate Template = DefaultTemplate.Template();

    private static PopupInput Valid() => new(
        "Berlin pop-up", "Alexanderplatz 1, Berlin", 52.52, 13.41,
        new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 12, 5, 18, 0, 0, TimeSpan.FromHours(1)),
        "Our pop-up is around the corner", ["gold"]);

    [Fact]
    public void A_valid_pop_up_is_taken_with_its_texts_trimmed()
    {
        var errors = PopupValidation.Validate(Valid() with { Name = "  Berlin pop-up " }, Template, "0a1b", out var popup);

        Assert.Empty(errors);
        Assert.Equal("Berlin pop-up", popup!.Name);
        Assert.Equal(["gold"], popup.Tiers);
    }

    [Theory]
    [InlineData("latitude", 90.5, 13.41)]
    [InlineData("latitude", double.NaN, 13.41)]
    [InlineData("longitude", 52.52, -180.01)]
    public void Coordinates_out_of_range_are_refused(string field, double latitude, double longitude)
    {
        var errors = PopupValidation.Validate(Valid() with { Latitude = latitude, Longitude = longitude }, Template, "0a1b", out var popup);

        Assert.Equal([field], errors.Keys);
        Assert.Null(popup);
    }

    [Fact]
    public void Closing_before_opening_long_texts_line_breaks_unknown_tiers_and_missing_fields_are_each_named()
    {
        var input = Valid() with
        {
            ClosesAt = Valid().OpensAt,
            Name = new string('n', PopupValidation.MaxNameLength + 1),
            RelevantText = "line one\nline two",
            Tiers = ["diamond"],
            Address = null,
        };

        var errors = PopupValidation.Validate(input, Template, "0a1b", out _);

        Assert.Equal(["address", "closesAt", "name", "relevantText", "tiers"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("diamond", errors["tiers"][0], StringComparison.Ordinal);
    }
}
