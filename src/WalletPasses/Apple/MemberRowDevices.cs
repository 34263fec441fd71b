using System.Text.Json;
using WalletPasses.Members;

namespace WalletPasses.Apple;

/// <summary>
/// The copy of a member's device registrations on the member row (<see cref="MemberEntity.DevicesJson"/>; <see cref="MemberEntity.NoDevices"/> for a new member): written in the same
/// entity group transaction as every change of the <c>reg|</c> rows (<see cref="DeviceRegistrations"/>), so it always
/// lists exactly them, and an event that read the member row knows whom to push without a query. Null on rows written
/// before it existed (and after a re-creation that could not carry it): then the rows are queried.
/// </summary>
public static class MemberRowDevices
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The registrations the member row lists; null when it does not know them.</summary>
    public static IReadOnlyList<DeviceRegistration>? Parse(string? devicesJson) =>
        devicesJson is null ? null : JsonSerializer.Deserialize<DeviceRegistration[]>(devicesJson, Json) ?? [];

    public static string Write(IEnumerable<DeviceRegistration> registrations) =>
        JsonSerializer.Serialize(registrations.OrderBy(r => r.DeviceLibraryIdentifier, StringComparer.Ordinal).ToArray(), Json);
}
