using System.Text.Json.Serialization;

namespace WalletPasses.Conformance;

/// <summary>An error stops a draft from being published (or a pass from working); a warning is worth fixing but harmless.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConformanceSeverity>))]
public enum ConformanceSeverity
{
    [JsonStringEnumMemberName("error")] Error,
    [JsonStringEnumMemberName("warning")] Warning,
}
