using System.Globalization;
using WalletPasses.Templates;

namespace WalletPasses.Popups;

/// <summary>How the back of a pass lists its pop-ups (Apple back field, Google text module); pure.</summary>
public static class PopupText
{
    /// <summary>The template string that labels the list, translated per language like every label (optional: <see cref="DefaultLabel"/> otherwise).</summary>
    public const string LabelKey = "label.popups";

    public const string DefaultLabel = "Pop-up stores";

    /// <summary>
    /// The label: the template's key (Apple translates it through each language's pass.strings; Google is given
    /// <paramref name="language"/>'s text) when the template defines it, else <see cref="DefaultLabel"/> (a key the
    /// template lacks would show as the key itself).
    /// </summary>
    public static string Label(ProgramTemplate program, string? language, bool asKey) =>
        program.Text(LabelKey) == LabelKey ? DefaultLabel : asKey ? LabelKey : program.Text(LabelKey, language);

    /// <summary>
    /// One paragraph per pop-up: its name, address and opening times in the pop-up's own offset, written with
    /// numbers only (<c>2026-12-05 10:00–18:00</c>) so the text reads the same in every language of the template.
    /// </summary>
    public static string List(IReadOnlyList<Popup> popups) =>
        string.Join("\n\n", popups.Select(popup => $"{popup.Name}\n{popup.Address}\n{Times(popup)}"));

    private static string Times(Popup popup)
    {
        var opens = popup.OpensAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var closes = popup.ClosesAt.ToOffset(popup.OpensAt.Offset);
        return opens + "–" + closes.ToString(closes.Date == popup.OpensAt.Date ? "HH:mm" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }
}
