using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Events;
using WalletPasses.Members;
using WalletPasses.Storage;
using WalletPasses.Templates;

namespace WalletPasses.Google;

/// <summary>
/// Row <c>google</c> in the member's partition of <c>members</c>: what the member's Google object was last
/// made to show. Written only by <see cref="GoogleObjectSync"/>, after Google accepted the write.
/// </summary>
public sealed class GoogleObjectEntity : ITableEntity
{
    public const string RowKeyValue = "google";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>The pass the object belongs to; a member who was erased and came back has a new one.</summary>
    public string SerialNumber { get; set; } = "";

    public string ObjectId { get; set; } = "";

    /// <summary>The member's pass version the object shows.</summary>
    public long SyncedVersion { get; set; }

    public long Points { get; set; }

    public string Tier { get; set; } = "";

    /// <summary>The object was voided (state INACTIVE, personal fields cleared).</summary>
    public bool Voided { get; set; }

    /// <summary>JSON: offer id -> fingerprint of the message the object has for it.</summary>
    public string? OffersJson { get; set; }

    /// <summary>JSON: when Google was asked to notify the holder, the last 24 hours.</summary>
    public string? NotificationsJson { get; set; }

    public DateTimeOffset SyncedAt { get; set; }
}

/// <summary>
/// Brings a member's Google Wallet object up to the member's current pass version. The object is inserted
/// on the first sync; later syncs PATCH everything the member shows (idempotent) and add new offers as
/// messages. At most one notification per sync, only for a version that may alert (<see cref="MemberPass.Silent"/>),
/// and never more than <see cref="NotificationOptions.MaxPerDay"/> per 24 hours as Google counts them (by
/// sending time); if Google still refuses one (403 quota), the same update goes out silently.
/// </summary>
public sealed partial class GoogleObjectSync(
    StorageClients storage,
    ITemplateSource templates,
    GoogleClassSync classes,
    GoogleWalletClient client,
    GooglePassContent content,
    IOptions<NotificationOptions> notifications,
    TimeProvider time,
    ILogger<GoogleObjectSync> logger)
{
    private const int MaxAttempts = 8;
    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    // One sync per member at a time in this instance (ETags guard across instances).
    private readonly MemberLocks _memberLocks = new();

    public async Task<GoogleObjectEntity?> GetStateAsync(string memberId, CancellationToken cancellationToken)
    {
        var response = await storage.Members.GetEntityIfExistsAsync<GoogleObjectEntity>(memberId, GoogleObjectEntity.RowKeyValue, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Returns once Google shows the member's current version; throws when Google or storage fails.</summary>
    public async Task SyncAsync(string memberId, CancellationToken cancellationToken)
    {
        using (await _memberLocks.EnterAsync(memberId, cancellationToken))
        {
            var template = await templates.GetCurrentAsync(cancellationToken);
            await classes.EnsureCurrentAsync(template, cancellationToken); // objects of a missing class are refused

            // Survives a lost storage race below, so a repeated write never notifies twice.
            var notified = false;
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var row = await storage.Members.GetEntityIfExistsAsync<MemberEntity>(memberId, MemberEntity.RowKeyValue, cancellationToken: cancellationToken);
                if (!row.HasValue)
                {
                    return;
                }

                var member = row.Value!.ToMember();
                var state = await GetStateAsync(memberId, cancellationToken);
                var issued = state is not null && state.SerialNumber == member.Pass.SerialNumber;
                if (issued && state!.SyncedVersion >= member.Pass.Version)
                {
                    return;
                }

                if (state is { Voided: false } && !issued)
                {
                    // The member was erased and came back before the old pass was voided on Google.
                    await VoidAsync(state.SerialNumber, cancellationToken);
                }

                var written = await WriteAsync(template, member, issued ? state : null, notified, cancellationToken);
                notified |= written.Notified;
                written.State.PartitionKey = memberId;
                try
                {
                    if (state is null)
                    {
                        await storage.Members.AddEntityAsync(written.State, cancellationToken);
                    }
                    else
                    {
                        await storage.Members.UpdateEntityAsync(written.State, state.ETag, TableUpdateMode.Replace, cancellationToken);
                    }

                    return;
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412)
                {
                    // Another instance synced this member meanwhile, maybe an older version after ours: look again.
                }
            }

            throw new InvalidOperationException($"The Google sync of a member lost {MaxAttempts} storage races in a row.");
        }
    }

    private async Task<(GoogleObjectEntity State, bool Notified)> WriteAsync(
        LoadedTemplate template, Member member, GoogleObjectEntity? synced, bool notifiedBefore, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var offers = member.Offers.TakeLast(GooglePassContent.MaxMessages).ToArray();
        if (member.Pass.Voided)
        {
            if (synced is not null)
            {
                await VoidAsync(member.Pass.SerialNumber, cancellationToken);
            }

            return (NewState(member, [], [], now), false);
        }

        var recentNotifications = synced is null ? [] : Parse<List<DateTimeOffset>>(synced.NotificationsJson).Where(t => t > now.AddDays(-1)).ToList();
        if (synced is null)
        {
            // A new pass: nothing to notify about.
            await client.UpsertObjectAsync(content.LoyaltyObjectFor(template, member, offers), cancellationToken);
            return (NewState(member, offers, recentNotifications, now), false);
        }

        var sentOffers = Parse<Dictionary<string, string>>(synced.OffersJson);
        var kept = offers.Where(offer => sentOffers.TryGetValue(offer.Id, out var fingerprint) && fingerprint == GooglePassContent.Fingerprint(offer)).ToArray();
        var mayNotify = !member.Pass.Silent && !notifiedBefore && recentNotifications.Count < notifications.Value.MaxPerDay;
        var pointsOrTierChanged = member.Profile.Points != synced.Points || member.Profile.Tier != synced.Tier;
        var patch = content.LoyaltyObjectFor(template, member, kept);
        bool notified;
        try
        {
            // The messages array replaces the stored one: withdrawn offers (and any copy of a new offer a failed
            // attempt left behind) go; new offers are added below, one by one, so one of them can notify.
            notified = await SendAsync(mayNotify && pointsOrTierChanged, notify =>
                client.PatchObjectAsync(notify ? patch with { NotifyPreference = NotifyPreference.NotifyOnUpdate } : patch, cancellationToken));
        }
        catch (GoogleWalletException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Google does not have the object (deleted by hand, say): insert it whole, silently.
            await client.UpsertObjectAsync(content.LoyaltyObjectFor(template, member, offers), cancellationToken);
            return (NewState(member, offers, recentNotifications, now), false);
        }

        foreach (var offer in offers.Except(kept))
        {
            notified |= await SendAsync(mayNotify && !notified, notify =>
                client.AddObjectMessageAsync(patch.Id, GooglePassContent.OfferMessage(offer, notify), cancellationToken));
        }

        if (notified)
        {
            recentNotifications.Add(now);
        }

        return (NewState(member, offers, recentNotifications, now), notified);
    }

    /// <returns>Whether Google was asked to notify and accepted.</returns>
    private async Task<bool> SendAsync(bool notify, Func<bool, Task> send)
    {
        if (!notify)
        {
            await send(false);
            return false;
        }

        try
        {
            await send(true);
            return true;
        }
        catch (GoogleWalletException e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            // Past Google's notification quota (3 per pass per 24 h) the call is refused; the update must still arrive.
            // A 403 for any other reason fails again below and the member stays pending.
            LogNotificationRefused(logger, e.Message);
            await send(false);
            return false;
        }
    }

    private async Task VoidAsync(string serialNumber, CancellationToken cancellationToken)
    {
        try
        {
            await client.UpdateObjectAsync(content.Voided(serialNumber), cancellationToken);
        }
        catch (GoogleWalletException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Never reached Google: nothing to void.
        }
    }

    private GoogleObjectEntity NewState(Member member, IEnumerable<MemberOffer> offers, List<DateTimeOffset> notificationTimes, DateTimeOffset now) => new()
    {
        SerialNumber = member.Pass.SerialNumber,
        ObjectId = content.ObjectIdFor(member.Pass.SerialNumber),
        SyncedVersion = member.Pass.Version,
        Points = member.Profile.Points,
        Tier = member.Profile.Tier,
        Voided = member.Pass.Voided,
        OffersJson = JsonSerializer.Serialize(offers.ToDictionary(offer => offer.Id, GooglePassContent.Fingerprint), StateJson),
        NotificationsJson = JsonSerializer.Serialize(notificationTimes, StateJson),
        SyncedAt = now,
    };

    private static T Parse<T>(string? json)
        where T : new() =>
        string.IsNullOrEmpty(json) ? new T() : JsonSerializer.Deserialize<T>(json, StateJson) ?? new T();

    [LoggerMessage(LogLevel.Information, "Google refused a notification ({Reason}); the update goes out silently")]
    private static partial void LogNotificationRefused(ILogger logger, string reason);
}
