using WalletPasses.Templates;

namespace WalletPasses.Popups;

/// <summary>Checks a <see cref="PopupInput"/> (pure): every wrong field is named, as a validation problem names it.</summary>
public static class PopupValidation
{
    public const int MaxNameLength = 60;
    public const int MaxAddressLength = 150;

    /// <summary>Apple shows relevantText in one lock-screen line; longer text is cut off.</summary>
    public const int MaxRelevantTextLength = 100;

    public const int MaxPopupIdLength = 64;

    /// <summary>The longest a pop-up may last: it is for a pop-up store, not a permanent one.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(366);

    /// <summary>Pop-up ids are made by the service: lowercase hex.</summary>
    public static bool IsPopupId(string popupId) =>
        popupId.Length is > 0 and <= MaxPopupIdLength && popupId.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    public static Dictionary<string, string[]> Validate(PopupInput input, ProgramTemplate template, string id, out Popup? popup)
    {
        var errors = new Dictionary<string, string[]>();
        popup = null;
        Text(errors, "name", input.Name, MaxNameLength);
        Text(errors, "address", input.Address, MaxAddressLength);
        Text(errors, "relevantText", input.RelevantText, MaxRelevantTextLength);

        // Apple (Pass.Locations) and Google (MerchantLocation: "Values outside these bounds will be rejected") take degrees in these ranges.
        if (input.Latitude is not { } latitude || !double.IsFinite(latitude) || latitude is < -90 or > 90)
        {
            errors["latitude"] = ["latitude is required, in degrees from -90 to 90."];
        }

        if (input.Longitude is not { } longitude || !double.IsFinite(longitude) || longitude is < -180 or > 180)
        {
            errors["longitude"] = ["longitude is required, in degrees from -180 to 180."];
        }

        if (input.OpensAt is null)
        {
            errors["opensAt"] = ["opensAt is required (an ISO 8601 date and time with its offset)."];
        }

        if (input.ClosesAt is null)
        {
            errors["closesAt"] = ["closesAt is required (an ISO 8601 date and time with its offset)."];
        }
        else if (input.OpensAt is { } opens && input.ClosesAt <= opens)
        {
            errors["closesAt"] = ["closesAt must be after opensAt."];
        }
        else if (input.OpensAt is { } start && input.ClosesAt - start > MaxDuration)
        {
            errors["closesAt"] = [$"A pop-up lasts at most {MaxDuration.TotalDays} days."];
        }

        var tiers = input.Tiers ?? [];
        var unknown = tiers.Where(tier => tier is null || template.FindTier(tier) is null).ToArray();
        if (unknown.Length > 0)
        {
            errors["tiers"] = [$"Unknown tier(s) {string.Join(", ", unknown.Select(t => $"'{Truncate(t ?? "null")}'"))}; the program has: {string.Join(", ", template.Tiers.Select(t => t.Id))}."];
        }

        if (errors.Count == 0)
        {
            popup = new Popup(id, input.Name!.Trim(), input.Address!.Trim(), input.Latitude!.Value, input.Longitude!.Value,
                input.OpensAt!.Value, input.ClosesAt!.Value, tiers.Distinct(StringComparer.Ordinal).ToArray(), input.RelevantText!.Trim());
        }

        return errors;
    }

    private static void Text(Dictionary<string, string[]> errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = [$"{field} is required."];
        }
        else if (value.Trim().Length > maxLength)
        {
            errors[field] = [$"{field} has at most {maxLength} characters."];
        }
        else if (value.Any(char.IsControl))
        {
            errors[field] = [$"{field} may not contain control characters (line breaks included)."];
        }
    }

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
