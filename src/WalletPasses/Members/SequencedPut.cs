using WalletPasses.Notifications;

namespace WalletPasses.Members;

/// <summary>
/// A <c>PUT</c> that carries <c>sequence</c> states the member as of that event sequence: each profile field it sets,
/// and the notification preference and time zone when it sets them,
/// applies unless an event with a higher sequence set the field (an equal one is the event the PUT already reflects),
/// and the field is then marked as set at that sequence, so an older event still on the queue cannot overwrite it. A
/// field a newer event set keeps that event's value. Pure: profile, state, sequence → profile, state.
/// </summary>
public static class SequencedPut
{
    public static (MemberProfile Profile, EventState State) Apply(MemberProfile current, MemberProfile put, EventState state, long sequence)
    {
        var sequences = new Dictionary<string, long>(state.FieldSequences);

        T Take<T>(string field, T currentValue, T putValue)
        {
            if (sequence < state.SequenceOf(field))
            {
                return currentValue;
            }

            sequences[field] = sequence;
            return putValue;
        }

        var profile = new MemberProfile(
            Take(MemberFields.DisplayName, current.DisplayName, put.DisplayName),
            Take(MemberFields.Points, current.Points, put.Points),
            Take(MemberFields.Tier, current.Tier, put.Tier),
            Take(MemberFields.ReferralUrl, current.ReferralUrl, put.ReferralUrl),
            Take(MemberFields.Language, current.Language, put.Language));
        return (profile, state with { FieldSequences = sequences });
    }

    /// <summary>
    /// The notification settings of the PUT under the same rule: a value it sets applies unless a newer event set the
    /// field, and marks the field; a value it leaves out (null) changes nothing and marks nothing, as for an event.
    /// </summary>
    public static (NotificationSettingsChange Change, EventState State) Apply(NotificationSettingsChange put, EventState state, long sequence)
    {
        var sequences = new Dictionary<string, long>(state.FieldSequences);

        string? Take(string field, string? putValue)
        {
            if (putValue is null || sequence < state.SequenceOf(field))
            {
                return null;
            }

            sequences[field] = sequence;
            return putValue;
        }

        var change = new NotificationSettingsChange(Take(MemberFields.Notifications, put.Preference), Take(MemberFields.TimeZone, put.TimeZone));
        return (change, state with { FieldSequences = sequences });
    }
}
