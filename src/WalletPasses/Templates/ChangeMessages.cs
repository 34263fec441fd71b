using System.Text;

namespace WalletPasses.Templates;

/// <summary>The template's change messages (<see cref="TemplateKeys.ChangeMessages"/>) as Apple's changeMessage format strings.</summary>
public static class ChangeMessages
{
    /// <summary>
    /// A changeMessage is a format string: its one placeholder is <c>%@</c>, and any other <c>%</c> the template
    /// author wrote ("10% off: %@") is literal, so it is doubled, or Wallet would read it as a placeholder.
    /// </summary>
    public static string Format(string text)
    {
        var format = new StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                format.Append(text[i]);
            }
            else if (i + 1 < text.Length && text[i + 1] == '@')
            {
                format.Append("%@");
                i++;
            }
            else
            {
                format.Append("%%");
            }
        }

        return format.ToString();
    }

    /// <summary>
    /// The <c>%@</c> placeholders of a changeMessage format (<c>%%</c> is a literal percent). Apple, "PassFieldContent":
    /// the format "must contain the escape %@, which is replaced with the field's new value": one value, so one placeholder.
    /// </summary>
    public static int Placeholders(string format)
    {
        var count = 0;
        for (var i = 0; i + 1 < format.Length; i++)
        {
            if (format[i] == '%')
            {
                count += format[i + 1] == '@' ? 1 : 0;
                i++; // the character after % belongs to it (%% included)
            }
        }

        return count;
    }
}
