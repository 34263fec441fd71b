using System.Text.Json.Serialization;

namespace WalletPasses.Apple;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
public sealed record RegistrationBody(string? PushToken);
