using System.Text.Json;
using WalletPasses.Popups;

namespace WalletPasses.Apple;

/// <summary>
/// The pop-ups in a pass.json. <c>locations</c> (up to 10, each latitude, longitude and relevantText;
/// https://developer.apple.com/documentation/walletpasses/pass) make Wallet show the pass on the lock screen near one
/// of them. No date key: "Set a date by adding the relevantDate key to Pass for boarding passes, event tickets, and
/// generic passes" (https://developer.apple.com/documentation/walletpasses/showing-a-pass-on-the-lock-screen), and a
/// loyalty card is a store card, relevant by location only.
/// </summary>
public static class PopupPassJson
{
    public const string BackFieldKey = "popups";

    public static void WriteLocations(Utf8JsonWriter json, IReadOnlyList<Popup> popups)
    {
        if (popups.Count == 0)
        {
            return;
        }

        json.WriteStartArray("locations");
        foreach (var popup in popups.Take(PopupRules.MaxPerPass))
        {
            json.WriteStartObject();
            json.WriteNumber("latitude", popup.Latitude);
            json.WriteNumber("longitude", popup.Longitude);
            json.WriteString("relevantText", popup.RelevantText);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
