using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using WalletPasses.Notifications;
using WalletPasses.Storage;
using WalletPasses.Templates;

namespace WalletPasses.Members;

/// <summary>Members and their pass index in Table Storage, with ETag optimistic concurrency.</summary>
public sealed class MemberStore(
    StorageClients storage,
    PassIssuer issuer,
    ProgramTemplates templates,
    IMemoryCache cache,
    IPassVersionOutbox announcements,
    PassVersionAlerts alerts,
    TimeProvider time)
{
    private const int MaxAttempts = 8;

    public async Task<Member?> GetAsync(string memberId, CancellationToken cancellationToken)
    {
        var entity = await GetEntityAsync(memberId, cancellationToken);
        return entity?.ToMember();
    }

    /// <summary>
    /// The pass index row of a serial number. These rows never change after creation, so found rows are
    /// kept in memory: device refetch storms then cost one storage read (the member) per request.
    /// </summary>
    public async Task<PassEntity?> GetPassAsync(string serialNumber, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(("pass-index", serialNumber), out PassEntity? cached))
        {
            return cached;
        }

        var pass = await storage.Passes.GetIfExistsAsync<PassEntity>(serialNumber, PassEntity.RowKeyValue, cancellationToken);
        if (pass is null)
        {
            return null;
        }

        cache.Set(("pass-index", serialNumber), pass, new MemoryCacheEntryOptions { Size = 512, SlidingExpiration = TimeSpan.FromHours(1) });
        return pass;
    }

    /// <summary>The member whose current pass has this serial number (erased members included), if any.</summary>
    public async Task<Member?> FindByCurrentSerialNumberAsync(string serialNumber, CancellationToken cancellationToken)
    {
        if (!PassIssuer.IsWellFormedSerialNumber(serialNumber))
        {
            return null;
        }

        var pass = await GetPassAsync(serialNumber, cancellationToken);
        if (pass is null)
        {
            return null;
        }

        // An orphan index row, or a member who got a new pass since: not this serial's member any more.
        var member = await GetAsync(pass.MemberId, cancellationToken);
        return member?.Pass.SerialNumber == serialNumber ? member : null;
    }

    /// <summary>
    /// The member whose current pass has this (well-formed) serial number, erased members included, with that pass
    /// only: the device calls' one lookup. One storage read, a projection of the member row (<see cref="MemberEntity.PassColumns"/>):
    /// the pass index row never changes and is kept in memory; the member row is read fresh on every call, so a new
    /// version or a revoked token counts at once on every instance.
    /// </summary>
    public async Task<PassHolder?> FindPassHolderAsync(string serialNumber, CancellationToken cancellationToken)
    {
        if (!PassIssuer.IsWellFormedSerialNumber(serialNumber) || await GetPassAsync(serialNumber, cancellationToken) is not { } index)
        {
            return null;
        }

        // An orphan index row, or a member who got a new pass since: not this serial's member any more.
        return await GetPassHolderAsync(index.MemberId, cancellationToken) is { } holder && holder.Pass.SerialNumber == serialNumber ? holder : null;
    }

    /// <summary>The member's current pass, read as a projection of the member row (one point read); null for an unknown member.</summary>
    public async Task<PassHolder?> GetPassHolderAsync(string memberId, CancellationToken cancellationToken)
    {
        var response = await storage.Members.GetEntityIfExistsAsync<MemberEntity>(memberId, MemberEntity.RowKeyValue, MemberEntity.PassColumns, cancellationToken);
        return response.HasValue ? new PassHolder(memberId, response.Value!.ToPass()) : null;
    }

    /// <inheritdoc cref="UpsertAsync(string, MemberProfile, NotificationSettingsChange, CancellationToken)"/>
    public Task<(Member Member, UpsertOutcome Outcome)> UpsertAsync(string memberId, MemberProfile profile, CancellationToken cancellationToken) =>
        UpsertAsync(memberId, profile, NotificationSettingsChange.None, cancellationToken);

    /// <summary>
    /// Creates the member with a new pass, or replaces their profile (a changed profile is a new pass version, alerting
    /// as the notification policy decides). Notification settings are stored with the member; alone they make no version.
    /// </summary>
    public Task<(Member Member, UpsertOutcome Outcome)> UpsertAsync(string memberId, MemberProfile profile, NotificationSettingsChange settings, CancellationToken cancellationToken) =>
        UpsertAsync(memberId, profile, settings, sequence: null, cancellationToken);

    /// <summary>
    /// As <see cref="UpsertAsync(string, MemberProfile, NotificationSettingsChange, CancellationToken)"/>; with a
    /// <paramref name="sequence"/>, the profile's fields apply and are sequenced as <see cref="SequencedPut"/> says.
    /// </summary>
    public async Task<(Member Member, UpsertOutcome Outcome)> UpsertAsync(string memberId, MemberProfile profile, NotificationSettingsChange settings, long? sequence, CancellationToken cancellationToken)
    {
        (Member Member, UpsertOutcome Outcome) result = default;

        // Someone else created or changed the member meanwhile (409 or 412): read again and re-apply.
        await ConflictRetry.RunAsync("Member update", MaxAttempts, async _ =>
        {
            var existing = await GetEntityAsync(memberId, cancellationToken);
            if (existing is null || existing.Deleted)
            {
                // An erased member who comes back gets a new pass: the voided one stays voided.
                return await ConflictRetry.TryWriteAsync(async () => result = (await CreateAsync(memberId, profile, settings, existing, sequence, cancellationToken), UpsertOutcome.Created), StorageConflict.Any);
            }

            var before = existing.ToMember();
            var now = time.GetUtcNow();
            var stored = EventState.Parse(existing.EventStateJson);
            var (applied, sequenced) = sequence is { } settingsSequence ? SequencedPut.Apply(settings, stored, settingsSequence) : (settings, stored);
            existing.Apply(applied.ApplyTo(before.Notifications));
            var state = await alerts.SettingsChangedAsync(existing, before.Notifications, sequenced, now, cancellationToken);
            var put = profile;
            if (sequence is { } putSequence)
            {
                (put, state) = SequencedPut.Apply(before.Profile, profile, state, putSequence);
            }

            if (before.Profile == put)
            {
                if (existing.NotificationSettings() != before.Notifications || !state.FieldSequences.SequenceEqual(stored.FieldSequences))
                {
                    existing.Record(state);
                    if (!await ConflictRetry.TryWriteAsync(() => storage.Members.UpdateEntityAsync(existing, existing.ETag, TableUpdateMode.Replace, cancellationToken), StorageConflict.ETagMismatch))
                    {
                        return false;
                    }
                }

                result = (existing.ToMember(), UpsertOutcome.Unchanged);
                return true;
            }

            existing.Apply(put);
            existing.Record(await alerts.NewVersionAsync(existing, before.Profile.Tier, Changes(before.Profile, put), state, now, cancellationToken));
            return await ConflictRetry.TryWriteAsync(
                async () =>
                {
                    existing.Show(await issuer.ReissueBarcodeIfDueAsync(existing.PartitionKey, existing.SerialNumber, existing.BarcodeMessage, time.GetUtcNow(), cancellationToken));
                    await UpdateAndAnnounceAsync(existing, existing.ETag, cancellationToken);
                    result = (existing.ToMember(), UpsertOutcome.Replaced);
                },
                StorageConflict.Any);
        });
        return result;
    }

    /// <summary>
    /// Erases the member's personal data and voids their pass (devices are told by the caller).
    /// Null for an unknown member; an already erased member stays as is.
    /// </summary>
    public async Task<Member?> EraseAsync(string memberId, CancellationToken cancellationToken)
    {
        Member? erased = null;
        await ConflictRetry.RunAsync("Member erasure", MaxAttempts, async _ =>
        {
            var existing = await GetEntityAsync(memberId, cancellationToken);
            if (existing is null || existing.Deleted)
            {
                erased = existing?.ToMember();
                return true;
            }

            existing.Apply(new MemberProfile("", 0, existing.Tier, null, null));
            // No purpose is left for the member's time zone and alert preference: the voided version is silent, a
            // member created again under the id starts from the defaults, and nothing else reads them.
            existing.NotificationPreference = null;
            existing.TimeZone = null;
            existing.Record(EventState.Parse(existing.EventStateJson).Erased());
            existing.Voided = true;
            existing.Deleted = true;
            existing.NewPassVersion(time.GetUtcNow(), silent: true);
            erased = existing.ToMember();

            // Changed meanwhile (412): read again.
            return await ConflictRetry.TryWriteAsync(() => UpdateAndAnnounceAsync(existing, existing.ETag, cancellationToken), StorageConflict.ETagMismatch);
        });
        return erased;
    }

    /// <summary>
    /// Replaces the authenticationToken and the barcode of the member's pass (an operator's answer to a pass in other
    /// hands): the copy can no longer fetch the pass, and its barcode checks as outdated however young it was. A silent
    /// new version, announced like any other, so every platform shows the new barcode. Null for an unknown or erased member.
    /// </summary>
    public async Task<Member?> RevokePassAsync(string memberId, CancellationToken cancellationToken)
    {
        Member? revoked = null;
        await ConflictRetry.RunAsync("Token revocation", MaxAttempts, async _ =>
        {
            var existing = await GetEntityAsync(memberId, cancellationToken);
            if (existing is null || existing.Deleted)
            {
                revoked = null;
                return true;
            }

            var now = time.GetUtcNow();
            existing.AuthenticationToken = PassIssuer.NewAuthenticationToken();
            existing.Show(await issuer.NewBarcodeAsync(existing.PartitionKey, existing.SerialNumber, now, cancellationToken));
            existing.NewPassVersion(now, silent: true);
            revoked = existing.ToMember();

            // Changed meanwhile (412): read again.
            return await ConflictRetry.TryWriteAsync(() => UpdateAndAnnounceAsync(existing, existing.ETag, cancellationToken), StorageConflict.ETagMismatch);
        });
        return revoked;
    }

    /// <summary>What a profile replacement changed that may alert.</summary>
    private static PassAlerts Changes(MemberProfile before, MemberProfile after) =>
        (before.Points != after.Points ? PassAlerts.Points : PassAlerts.None) | (before.Tier != after.Tier ? PassAlerts.Tier : PassAlerts.None);

    private async Task<Member> CreateAsync(string memberId, MemberProfile profile, NotificationSettingsChange settings, MemberEntity? erased, long? sequence, CancellationToken cancellationToken)
    {
        var loaded = await templates.ForMember(memberId).GetCurrentAsync(cancellationToken);
        var template = loaded.Template;
        var now = time.GetUtcNow();
        var issued = await issuer.IssueAsync(memberId, now, cancellationToken);
        var serialNumber = issued.SerialNumber;

        // The index row goes first: if the member insert then fails, an orphan index row points at a member
        // whose serial differs, which every lookup treats as unknown.
        await storage.Passes.AddEntityAsync(
            new PassEntity
            {
                PartitionKey = serialNumber,
                MemberId = memberId,
                PassTypeIdentifier = template.PassTypeIdentifier,
                CreatedAt = now,
            },
            cancellationToken);

        var entity = new MemberEntity
        {
            PartitionKey = memberId,
            SerialNumber = serialNumber,
            AuthenticationToken = issued.AuthenticationToken,
            OffersJson = MemberEntity.NoOffers,
            DevicesJson = erased is null ? MemberEntity.NoDevices : erased.DevicesJson, // a new member has no device yet
            CreatedAt = now,
            TemplateVersion = loaded.Number, // made with the current template: a running publication has nothing to re-issue
        };
        entity.Show(issued.Barcode);
        entity.NewPassVersion(now, silent: false);
        entity.Apply(profile);
        entity.Apply(settings.ApplyTo(NotificationSettings.Default));

        // Keep the event history (sequences) of an erased member so stale events still cannot resurrect erased values.
        var state = erased is null ? EventState.Empty : EventState.Parse(erased.EventStateJson);
        if (sequence is { } putSequence)
        {
            // A new member is as the PUT says; its fields are marked set at its sequence, where no later event set them.
            state = SequencedPut.Apply(settings, SequencedPut.Apply(profile, profile, state, putSequence).State, putSequence).State;
        }

        if (erased is not null || sequence is not null)
        {
            entity.EventStateJson = state.ToJson();
        }

        await UpdateAndAnnounceAsync(entity, erased?.ETag, cancellationToken);

        return entity.ToMember();
    }

    /// <summary>
    /// Writes a new pass version (inserts the member when <paramref name="etag"/> is null) together with its
    /// announcement, in one entity group transaction; the member is marked due first, since nothing redelivers a
    /// request whose process dies before the platforms heard of it. Failures surface as the single write's would.
    /// </summary>
    private async Task UpdateAndAnnounceAsync(MemberEntity member, ETag? etag, CancellationToken cancellationToken)
    {
        await announcements.MarkAnnouncingAsync(member.PartitionKey, cancellationToken);
        TableTransactionAction write = etag is { } match
            ? new(TableTransactionActionType.UpdateReplace, member, match)
            : new(TableTransactionActionType.Add, member);
        try
        {
            await storage.Members.SubmitTransactionAsync([write, announcements.Announce(member)], cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 || e.ErrorCode is "EntityAlreadyExists" or "UpdateConditionNotSatisfied")
        {
            // As the single write would fail: the callers' concurrency retries look for 409 and 412.
            throw new RequestFailedException(e.ErrorCode == "EntityAlreadyExists" ? 409 : 412, e.Message, e.ErrorCode, e);
        }
    }

    private Task<MemberEntity?> GetEntityAsync(string memberId, CancellationToken cancellationToken) =>
        storage.Members.GetIfExistsAsync<MemberEntity>(memberId, MemberEntity.RowKeyValue, cancellationToken);
}
