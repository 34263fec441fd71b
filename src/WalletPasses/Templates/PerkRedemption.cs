using System.Text.Json.Serialization;

namespace WalletPasses.Templates;

[JsonConverter(typeof(JsonStringEnumConverter<PerkRedemption>))]
public enum PerkRedemption
{
    Unlimited,
    Once,
    OncePerDay,
}
