using System.Text.Json;
using System.Text.Json.Serialization;

namespace WalletPasses.Events;

/// <summary>
/// What is set aside of an event for an erased member: which event it was (event id, member id, program, sequence,
/// type, when it occurred), never what it says of the member (name, points, tier, referral link, language, offer,
/// preferences). The erasure removed those from storage; the poison queue must not bring them back. Pure.
/// </summary>
public static class ErasedMemberEvent
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <param name="eventJson">The event as queued (already parsed once, so valid).</param>
    public static string Redact(string eventJson)
    {
        var input = JsonSerializer.Deserialize<LoyaltyEventInput>(eventJson, Http.JsonBody.SerializerOptions)!;
        return JsonSerializer.Serialize(new LoyaltyEventInput(input.EventId, input.MemberId, input.Sequence, input.OccurredAt, input.Type, ProgramId: input.ProgramId), Json);
    }
}
