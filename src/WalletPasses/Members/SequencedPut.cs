namespace WalletPasses.Members;

/// <summary>
/// A <c>PUT</c> that carries <c>sequence</c> states the member as of that event sequence: each profile field it sets
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
}
