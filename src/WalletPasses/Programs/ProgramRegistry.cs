using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Barcodes;
using WalletPasses.Storage;

namespace WalletPasses.Programs;

/// <summary>
/// The programs of this deployment: the configured default program and those added at run time (a template PUT to a
/// new program id), rows of the programs table. Kept in memory and read again at most every <see cref="RefreshInterval"/>,
/// so resolving a program on a hot path (a device refetch, an event) costs no storage request; an id not known yet is
/// looked up again at most every <see cref="MissRecheckInterval"/> (a program just added on another instance).
/// </summary>
public sealed partial class ProgramRegistry(StorageClients storage, IOptions<WalletPassesOptions> options, TimeProvider time, ILogger<ProgramRegistry> logger) : IDisposable
{
    public const int MaxIdLength = 64;
    private const string DefaultProgramIdProperty = "ProgramId";
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MissRecheckInterval = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private volatile Snapshot? _snapshot;

    public string DefaultProgramId => options.Value.ProgramId;

    private TableClient Table => storage.Table(StorageNames.ProgramsTable);

    /// <summary>
    /// The templates container's own top-level folders (drafts and publications of every program, <c>drafts/{programId}/</c>
    /// and <c>published/{programId}/</c>): a program of that name would read, as its own template's images, the drafts
    /// or publications of the program named <c>images</c>.
    /// </summary>
    public static readonly IReadOnlySet<string> ReservedIds = new HashSet<string>(StringComparer.Ordinal) { "drafts", "published" };

    /// <summary>Why <paramref name="programId"/> cannot be a program id (it names blob folders and storage keys); null when it can.</summary>
    public static string? IdError(string? programId) =>
        string.IsNullOrEmpty(programId) || programId.Length > MaxIdLength || programId.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            ? $"A program id is 1 to {MaxIdLength} letters, digits, '-' or '_'."
            : ReservedIds.Contains(programId)
                ? $"'{programId}' names a folder of the templates container; choose another program id."
                : null;

    /// <summary>Whether this deployment has the program: the one check every <c>/api/programs/{programId}/…</c> route makes.</summary>
    public async ValueTask<bool> IsKnownAsync(string programId, CancellationToken cancellationToken) =>
        await FindAsync(programId, cancellationToken) is not null;

    /// <summary>The program, or null when this deployment has none of that id.</summary>
    public async ValueTask<LoyaltyProgram?> FindAsync(string programId, CancellationToken cancellationToken)
    {
        if (programId == DefaultProgramId)
        {
            var current = await CurrentAsync(cancellationToken);
            return current.Programs.GetValueOrDefault(programId) ?? new LoyaltyProgram(programId, IsDefault: true);
        }

        if (IdError(programId) is not null)
        {
            return null;
        }

        var snapshot = await CurrentAsync(cancellationToken);
        if (snapshot.Programs.TryGetValue(programId, out var program))
        {
            return program;
        }

        return time.GetUtcNow() - snapshot.ReadAt < MissRecheckInterval
            ? null
            : (await RefreshAsync(snapshot, cancellationToken)).Programs.GetValueOrDefault(programId);
    }

    /// <summary>Every program, the default one first.</summary>
    public async ValueTask<IReadOnlyList<LoyaltyProgram>> AllAsync(CancellationToken cancellationToken)
    {
        return (await CurrentAsync(cancellationToken)).All;
    }

    /// <summary>
    /// Adds the program (idempotent: <see cref="ProgramAddition.Created"/> when this call created it), unless another
    /// program of the deployment has its barcode tag (<see cref="ProgramAddition.TagTakenBy"/>): a staff device limited to
    /// that program would accept this one's passes offline. The caller has checked <see cref="IdError"/>.
    /// </summary>
    public async Task<ProgramAddition> AddAsync(string programId, CancellationToken cancellationToken)
    {
        if (await FindAsync(programId, cancellationToken) is not null)
        {
            return new ProgramAddition(Created: false);
        }

        // Read again rather than trust a snapshot up to 30 s old: a program added meanwhile on another instance counts.
        var programs = (await RefreshAsync(null, cancellationToken)).All.Select(program => program.Id);
        if (ProgramTags.TakenBy(programId, programs) is { } takenBy)
        {
            return new ProgramAddition(Created: false, TagTakenBy: takenBy);
        }

        var created = true;
        try
        {
            await Table.AddEntityAsync(new ProgramEntity { RowKey = programId, CreatedAt = time.GetUtcNow() }, cancellationToken);
            LogProgramAdded(logger, programId);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            created = false; // added meanwhile by another request or instance
        }

        await RefreshAsync(null, cancellationToken);
        return new ProgramAddition(created);
    }

    /// <summary>
    /// Whether the member of this storage key belongs to a retired program: from memory, as every instance learns of a
    /// retirement within <see cref="RefreshInterval"/>.
    /// </summary>
    public async ValueTask<bool> IsRetiredMemberAsync(string storageId, CancellationToken cancellationToken) =>
        (await FindAsync(ProgramOf(storageId), cancellationToken))?.IsRetired == true;

    /// <summary>
    /// Retires the program (idempotent: a second call answers the first retirement's time), recorded on its row of the
    /// programs table so every instance sees it. The default program is never retired: it owns the unprefixed routes and
    /// the members stored under their bare ids (change <c>WalletPasses:ProgramId</c> to it is no retirement either).
    /// </summary>
    public async Task<ProgramRetirement> RetireAsync(string programId, CancellationToken cancellationToken)
    {
        if (programId == DefaultProgramId)
        {
            return new ProgramRetirement(ProgramRetirementOutcome.DefaultProgram, null);
        }

        if (IdError(programId) is not null)
        {
            return new ProgramRetirement(ProgramRetirementOutcome.UnknownProgram, null);
        }

        ProgramRetirement? result = null;
        await ConflictRetry.RunAsync($"Retiring program {programId}", 5, async _ =>
        {
            var row = await Table.GetIfExistsAsync<TableEntity>(ProgramEntity.PartitionKeyValue, programId, cancellationToken);
            if (row is null)
            {
                result = new ProgramRetirement(ProgramRetirementOutcome.UnknownProgram, null);
                return true;
            }

            if (ProgramEntity.From(row).RetiredAt is { } retiredAt)
            {
                result = new ProgramRetirement(ProgramRetirementOutcome.Retired, retiredAt);
                return true;
            }

            var now = time.GetUtcNow();
            var update = new TableEntity(ProgramEntity.PartitionKeyValue, programId) { [nameof(ProgramEntity.RetiredAt)] = now };
            result = new ProgramRetirement(ProgramRetirementOutcome.Retired, now);
            return await ConflictRetry.TryWriteAsync(() => Table.UpdateEntityAsync(update, row.ETag, TableUpdateMode.Merge, cancellationToken), StorageConflict.ETagMismatch);
        });

        if (result!.Outcome == ProgramRetirementOutcome.Retired)
        {
            LogProgramRetired(logger, programId);
            await RefreshAsync(null, cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// At storage set-up: the configured default program must be the one this storage's bare member ids belong to (recorded
    /// at the first set-up), and must not carry the barcode tag of a program added at run time. Changing
    /// <c>WalletPasses:ProgramId</c> would otherwise hand the old default program's members to the new id silently.
    /// </summary>
    /// <exception cref="DefaultProgramSettingException">The setting does not fit the storage.</exception>
    public async Task CheckDefaultProgramAsync(CancellationToken cancellationToken)
    {
        var recorded = await Table.GetIfExistsAsync<TableEntity>(TableRows.Programs.DeploymentPartition, TableRows.Programs.DefaultProgramRow, cancellationToken);
        if (recorded?.GetString(DefaultProgramIdProperty) is { } stored && stored != DefaultProgramId)
        {
            throw new DefaultProgramSettingException(
                $"WalletPasses:ProgramId is '{DefaultProgramId}', but this storage's default program is '{stored}': the members stored under their bare ids are '{stored}''s, " +
                $"and would become '{DefaultProgramId}''s. Set WalletPasses:ProgramId={stored} (add '{DefaultProgramId}' as a program of its own with a template PUT), or use new storage (WalletPasses:Storage:NamePrefix).");
        }

        var others = (await RefreshAsync(null, cancellationToken)).All.Select(program => program.Id);
        if (ProgramTags.TakenBy(DefaultProgramId, others) is { } takenBy)
        {
            throw new DefaultProgramSettingException(
                $"WalletPasses:ProgramId '{DefaultProgramId}' carries the barcode program tag of program '{takenBy}' ({BarcodeTokens.ProgramTag(takenBy)}) of this deployment, so a staff device limited to one would accept the other's passes offline. Keep WalletPasses:ProgramId as it was, or choose another id.");
        }

        if (recorded is null)
        {
            try
            {
                await Table.AddEntityAsync(new TableEntity(TableRows.Programs.DeploymentPartition, TableRows.Programs.DefaultProgramRow) { [DefaultProgramIdProperty] = DefaultProgramId }, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                await CheckDefaultProgramAsync(cancellationToken); // another instance recorded it first: compare with that
            }
        }
    }

    /// <summary>The storage key of a member of a program (see <see cref="ProgramMembers"/>).</summary>
    public string StorageId(string programId, string memberId) => ProgramMembers.StorageId(programId, memberId, DefaultProgramId);

    /// <summary>The program of a stored member key: no storage request.</summary>
    public string ProgramOf(string storageId) => ProgramMembers.ProgramOf(storageId, DefaultProgramId);

    private async ValueTask<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        return snapshot is not null && time.GetUtcNow() - snapshot.ReadAt < RefreshInterval ? snapshot : await RefreshAsync(snapshot, cancellationToken);
    }

    private async Task<Snapshot> RefreshAsync(Snapshot? seen, CancellationToken cancellationToken)
    {
        // One caller reads; the others keep the snapshot they have (or wait for the first one).
        if (seen is not null && !await _refreshLock.WaitAsync(0, cancellationToken))
        {
            return seen;
        }

        if (seen is null)
        {
            await _refreshLock.WaitAsync(cancellationToken);
        }

        try
        {
            if (seen is not null && _snapshot is { } newer && newer != seen)
            {
                return newer;
            }

            var programs = new Dictionary<string, LoyaltyProgram>(StringComparer.Ordinal);
            // Untyped rows: see ProgramEntity.From.
            await foreach (var stored in Table.QueryAsync<TableEntity>(e => e.PartitionKey == ProgramEntity.PartitionKeyValue, cancellationToken: cancellationToken))
            {
                var row = ProgramEntity.From(stored);
                programs[row.RowKey] = new LoyaltyProgram(row.RowKey, row.RowKey == DefaultProgramId, row.QuietHoursStart, row.QuietHoursEnd, row.RetiredAt);
            }

            var all = new List<LoyaltyProgram> { programs.GetValueOrDefault(DefaultProgramId) ?? new LoyaltyProgram(DefaultProgramId, IsDefault: true) };
            all.AddRange(programs.Values.Where(p => p.Id != DefaultProgramId).OrderBy(p => p.Id, StringComparer.Ordinal));
            return _snapshot = new Snapshot(programs, all, time.GetUtcNow());
        }
        catch (RequestFailedException e) when (seen is not null)
        {
            LogRefreshFailed(logger, e.Status);
            return _snapshot = seen with { ReadAt = time.GetUtcNow() - RefreshInterval + MissRecheckInterval };
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    public void Dispose() => _refreshLock.Dispose();

    [LoggerMessage(LogLevel.Information, "Program {ProgramId} added")]
    private static partial void LogProgramAdded(ILogger logger, string programId);

    [LoggerMessage(LogLevel.Information, "Program {ProgramId} retired")]
    private static partial void LogProgramRetired(ILogger logger, string programId);

    [LoggerMessage(LogLevel.Warning, "Could not read the programs table (status {Status}); keeping the programs known")]
    private static partial void LogRefreshFailed(ILogger logger, int status);

    /// <param name="All">Every program, the default one first (one list per read, not per call).</param>
    private sealed record Snapshot(IReadOnlyDictionary<string, LoyaltyProgram> Programs, IReadOnlyList<LoyaltyProgram> All, DateTimeOffset ReadAt);
}
