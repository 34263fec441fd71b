using WalletPasses.Popups;
using WalletPasses.Templates;

namespace WalletPasses.Google;

/// <summary>
/// The pop-ups on a member's loyalty object: <c>merchantLocations</c> ("Locations of interest for this class or object
/// ... used for geofenced notifications", https://developers.google.com/wallet/reference/rest/v1/MerchantLocation; the
/// older <c>locations</c> is deprecated and "not supported to trigger geo notifications", LoyaltyObject in the discovery
/// document) and a text module listing them, as the back of the Apple pass does. The array is always sent, empty too:
/// in a PATCH it replaces the stored one, so a withdrawn pop-up leaves the object.
/// </summary>
public static class GooglePopupFields
{
    public const string TextModuleId = "popups";

    public static LoyaltyObject WithPopups(this LoyaltyObject loyaltyObject, ProgramTemplate program, string? language, IReadOnlyList<Popup> popups)
    {
        var shown = popups.Take(PopupRules.MaxPerPass).ToArray();
        var modules = (loyaltyObject.TextModulesData ?? []).Where(module => module.Id != TextModuleId).ToList();
        if (shown.Length > 0)
        {
            modules.Add(new TextModuleData { Id = TextModuleId, Header = PopupText.Label(program, language, asKey: false), Body = PopupText.List(shown) });
        }

        return loyaltyObject with
        {
            MerchantLocations = [.. shown.Select(popup => new MerchantLocation(popup.Latitude, popup.Longitude))],
            TextModulesData = modules,
        };
    }
}
