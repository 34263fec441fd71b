using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Jobs;
using WalletPasses.Members;
using WalletPasses.Storage;

namespace WalletPasses.Delivery;

/// <summary>
/// The bounded re-push: a device APNs accepted a push for that has not asked what changed within
/// <see cref="DeliveryOptions.RepushAfter"/> is pushed once more, once per version (APNs may accept a push and
/// still not deliver it, e.g. to a device that was offline past the notification's storage). Works from the
/// <c>check|{minute}</c> rows the push trace leaves; each is claimed by moving it a lease ahead (the original
/// deleted by ETag), so two instances do not check a member at once and one that dies mid-check leaves it to a later run. Also records the share of checked devices that hold the latest version, for
/// <c>GET /api/health</c>.
/// </summary>
public sealed partial class RepushJob(
    StorageClients storage,
    Announcements announcements,
    MemberStore members,
    ApplePushNotifier apple,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<RepushJob> logger) : IPeriodicJob
{
    /// <summary>NCRONTAB (with seconds) for the Functions timer trigger: every minute.</summary>
    public const string Schedule = "0 * * * * *";

    public const string StatsPartition = TableRows.DeliveryTrace.StatsPartition;

    private const int MaxMembersPerRun = 200;

    // Longer than one member's check (reads and one re-push); a claim whose run died comes due again after it.
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);

    public string Name => "Repush";

    public TimeSpan StandaloneInterval => TimeSpan.FromMinutes(1);

    private TableClient Trace => storage.Table(StorageNames.DeliveryTraceTable);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.RepushAfter;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {DeliveryTraceEntity.CheckPartitionPrefix} and PartitionKey lt {DeliveryTraceEntity.CheckPartitionFor(cutoff)}");
        var (checkedDevices, current, repushed) = (0, 0, 0);
        var taken = 0;
        await foreach (var check in Trace.QueryAsync<DeliveryTraceEntity>(filter, cancellationToken: cancellationToken))
        {
            if (++taken > MaxMembersPerRun)
            {
                break;
            }

            if (await ClaimAsync(check, cancellationToken) is not { } claimed)
            {
                continue; // another run took it
            }

            var (devices, currentDevices, pushedAgain) = await CheckAsync(check.RowKey, cutoff, cancellationToken);
            (checkedDevices, current, repushed) = (checkedDevices + devices, current + currentDevices, repushed + pushedAgain);
            await Trace.DeleteIfUnchangedAsync(claimed.PartitionKey, claimed.RowKey, claimed.ETag, cancellationToken); // by its ETag: a newer claim (another run's) stays
        }

        if (checkedDevices > 0)
        {
            await AddToStatsAsync(checkedDevices, current, repushed, cancellationToken);
        }
    }

    /// <summary>
    /// Claims a check by moving it <see cref="ClaimLease"/> ahead (a copy in the partition that comes due then, and the
    /// original deleted by its ETag), so a run whose instance dies before it is done leaves the check for a later run
    /// rather than losing it. Null when another run took it first. A copy left by a run that lost, or died between the
    /// two writes, only checks the member again: a device already pushed once more is not pushed again.
    /// </summary>
    private async Task<DeliveryTraceEntity?> ClaimAsync(DeliveryTraceEntity check, CancellationToken cancellationToken)
    {
        var partition = DeliveryTraceEntity.CheckPartitionFor(time.GetUtcNow() - options.Value.RepushAfter + ClaimLease);
        var claimed = new DeliveryTraceEntity { PartitionKey = partition, RowKey = check.RowKey, At = check.At, Kind = check.Kind };
        claimed.ETag = (await Trace.UpsertEntityAsync(claimed, TableUpdateMode.Replace, cancellationToken)).Headers.ETag ?? ETag.All;
        return await Trace.DeleteIfUnchangedAsync(check.PartitionKey, check.RowKey, check.ETag, cancellationToken) ? claimed : null;
    }

    /// <summary>Adds a run's counts to the hour's stats row (runs of several instances add up; ETag-checked).</summary>
    private async Task AddToStatsAsync(int checkedDevices, int current, int repushed, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Another instance added its run's counts meanwhile: read again (and give up after a few: they are statistics).
        await ConflictRetry.TryRunAsync(5, async _ =>
        {
            var existing = await Trace.GetIfExistsAsync<DeliveryStatsEntity>(StatsPartition, DeliveryStatsEntity.RowKeyFor(now), cancellationToken);
            var stats = existing ?? new DeliveryStatsEntity { PartitionKey = StatsPartition, RowKey = DeliveryStatsEntity.RowKeyFor(now) };
            stats.At = now;
            stats.DevicesChecked += checkedDevices;
            stats.DevicesCurrent += current;
            stats.DevicesRepushed += repushed;
            return await ConflictRetry.TryWriteAsync(
                () => existing is not null
                    ? Trace.UpdateEntityAsync(stats, stats.ETag, TableUpdateMode.Replace, cancellationToken)
                    : Trace.AddEntityAsync(stats, cancellationToken),
                StorageConflict.Any);
        });
    }

    private async Task<(int Devices, int Current, int Repushed)> CheckAsync(string memberId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var announcement = await announcements.GetAsync(memberId, cancellationToken);
        var member = await members.GetAsync(memberId, cancellationToken);
        if (announcement is null || member is null || announcement.Version != member.Pass.Version)
        {
            return (0, 0, 0);
        }

        var records = announcement.Records();
        var pushes = DevicePushes.Parse(records.GetValueOrDefault(ApplePushNotifier.PlatformName));
        var trace = (await DeliveryApi.TimelineAsync(storage, memberId, cancellationToken)).Where(r => r.At >= announcement.AnnouncedAt).ToList();
        var states = DeviceDeliveryStates.Of([], pushes, member.Pass.Version, trace)
            .Where(d => d.Push is { State: DevicePushStates.Pushed } push && push.At <= cutoff)
            .ToList();
        var late = states.Where(d => d.State == DeviceDeliveryStates.PushedNotFetched && !d.Push!.Repushed).Select(d => d.DeviceLibraryIdentifier).ToList();
        if (late.Count > 0)
        {
            records[ApplePushNotifier.PlatformName] = await apple.RepushAsync(member, records[ApplePushNotifier.PlatformName], late, cancellationToken);
            announcement.SetRecords(records);
            // False: the row changed meanwhile (a newer version, pushed itself, or a delivery attempt of this one, which
            // stays due on its own if anything is pending): only this re-push's record is lost, the pushes went out.
            await announcements.SaveAsync(announcement, [], cancellationToken);
            LogRepushed(logger, late.Count, member.Pass.SerialNumber, member.Pass.Version);
        }

        return (states.Count, states.Count(d => d.State == DeviceDeliveryStates.Current), late.Count);
    }

    [LoggerMessage(LogLevel.Information, "{Devices} devices did not ask for version {Version} of pass {SerialNumber} after its push; pushed once more")]
    private static partial void LogRepushed(ILogger logger, int devices, string serialNumber, long version);
}
