using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace WalletPasses.Popups;

/// <summary>
/// Which pop-ups a pass carries, as pure functions of the pop-ups, the clock and the member's tier (no I/O).
/// A pop-up is carried from its announcement (<c>opensAt − AnnounceBefore</c>) until it closes, by passes of the
/// tiers it is for; a pass carries at most <see cref="MaxPerPass"/>, the soonest first: open ones (they opened
/// earlier) before announced ones, by opening time, then by closing time and id. The service does not know where a
/// member is, so "nearest" is nearest in time; Wallet itself shows the pass only near one of its locations.
/// </summary>
public static class PopupRules
{
    /// <summary>
    /// Apple: <c>locations</c> holds up to 10 locations (https://developer.apple.com/documentation/walletpasses/pass);
    /// Google: "There is a maximum of ten [merchantLocations] on the object. Any additional MerchantLocations added
    /// beyond the 10 will be rejected" (LoyaltyObject.merchantLocations, Wallet REST reference).
    /// </summary>
    public const int MaxPerPass = 10;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string PhaseOf(Popup popup, DateTimeOffset now, TimeSpan announceBefore) =>
        now >= popup.ClosesAt ? PopupPhase.Closed
        : now >= popup.OpensAt ? PopupPhase.Open
        : now >= popup.OpensAt - announceBefore ? PopupPhase.Announced
        : PopupPhase.Scheduled;

    /// <summary>The pop-ups announced or open at <paramref name="now"/>, soonest first.</summary>
    public static IReadOnlyList<Popup> Carried(IEnumerable<Popup> popups, DateTimeOffset now, TimeSpan announceBefore) =>
        popups.Where(popup => PhaseOf(popup, now, announceBefore) is PopupPhase.Announced or PopupPhase.Open)
            .OrderBy(popup => popup.OpensAt)
            .ThenBy(popup => popup.ClosesAt)
            .ThenBy(popup => popup.Id, StringComparer.Ordinal)
            .ToArray();

    /// <summary>What the pass of a member of <paramref name="tier"/> carries, from a soonest-first list: at most <see cref="MaxPerPass"/>.</summary>
    public static IReadOnlyList<Popup> ForTier(IReadOnlyList<Popup> carried, string tier) =>
        carried.Where(popup => popup.IsFor(tier)).Take(MaxPerPass).ToArray();

    /// <summary>
    /// The part of a soonest-first list any pass can carry: each pop-up some tier's pass shows among its first
    /// <see cref="MaxPerPass"/> (a tier no pop-up names sees only the pop-ups for everyone). The rest would never
    /// reach a pass, so the program's stored list stays bounded.
    /// </summary>
    public static IReadOnlyList<Popup> Retained(IReadOnlyList<Popup> carried)
    {
        string?[] tiers = [.. carried.SelectMany(popup => popup.Tiers).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), null];
        var shown = new Dictionary<string, int>(StringComparer.Ordinal);
        var retained = new List<Popup>();
        foreach (var popup in carried)
        {
            var keep = false;
            foreach (var tier in tiers)
            {
                var key = tier ?? "";
                var visible = tier is null ? popup.Tiers.Count == 0 : popup.IsFor(tier);
                if (visible && shown.GetValueOrDefault(key) < MaxPerPass)
                {
                    shown[key] = shown.GetValueOrDefault(key) + 1;
                    keep = true;
                }
            }

            if (keep)
            {
                retained.Add(popup);
            }
        }

        return retained;
    }

    /// <summary>Identifies what a pass shows of its pop-ups (the pass changes when this does).</summary>
    public static string Fingerprint(IReadOnlyList<Popup> shown) =>
        shown.Count == 0 ? "" : Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson(shown))).AsSpan(0, 12));

    public static string ToJson(IReadOnlyList<Popup> popups) => JsonSerializer.Serialize(popups, Json);

    public static IReadOnlyList<Popup> FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<Popup[]>(json, Json) ?? [];
}
