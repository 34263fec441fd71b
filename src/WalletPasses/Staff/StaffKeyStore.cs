using System.Buffers.Text;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Security;
using WalletPasses.Storage;

namespace WalletPasses.Staff;

/// <summary>
/// Staff keys managed at runtime. Authentication answers from an in-memory snapshot refreshed at most
/// every <see cref="StaffOptions.KeyRefreshInterval"/>; a change made through this instance takes effect
/// here at once, and on other instances within that interval.
/// </summary>
public sealed partial class StaffKeyStore(
    StorageClients storage,
    IOptionsMonitor<ApiKeyOptions> configuredKeys,
    IOptions<StaffOptions> options,
    TimeProvider time,
    ILogger<StaffKeyStore> logger) : IRuntimeApiKeys, IDisposable
{
    public const string KeyPrefix = "wps_";

    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private static readonly Dictionary<string, IReadOnlySet<string>> EmptyPrograms = [];
    private static readonly HashSet<string> NoClashes = [];

    private volatile Snapshot? _snapshot;
    private long _generation;

    public string Role => ApiRoles.Staff;

    private TableClient Table => storage.Table(StorageNames.StaffKeysTable);

    public async ValueTask<string?> FindAsync(byte[] presentedHash, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        if (snapshot.Unavailable)
        {
            throw new RuntimeKeysUnavailableException();
        }

        string? match = null;
        foreach (var (name, hash) in snapshot.Active)
        {
            // No early exit: timing does not depend on which key matched.
            if (CryptographicOperations.FixedTimeEquals(hash, presentedHash))
            {
                match ??= name;
            }
        }

        return match;
    }

    /// <summary>
    /// The programs whose passes the staff key of this name may see; null for every program (keys from the settings,
    /// and keys created without <c>programs</c>). From memory, like <see cref="FindAsync"/>.
    /// </summary>
    public async ValueTask<IReadOnlySet<string>?> ProgramsOfAsync(string name, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).Programs.GetValueOrDefault(name);

    /// <summary>
    /// A key from the settings whose name a key created through the API had first (active or revoked: names are never
    /// reused) yields: it does not authenticate, and <see cref="NameClashesAsync"/> reports it. The API key keeps its
    /// devices, scans, rate limit and revocation; merged, both keys would act as one name.
    /// </summary>
    public async ValueTask<bool> ClaimsNameAsync(string configuredName, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).Clashes.Contains(configuredName);

    /// <summary>The names of keys from the settings refused because a key created through the API has the name (for the health check).</summary>
    public async Task<IReadOnlyList<string>> NameClashesAsync(CancellationToken cancellationToken) =>
        [.. (await CurrentAsync(cancellationToken)).Clashes.Order(StringComparer.Ordinal)];

    public async Task<(StaffKeyChange Change, CreatedStaffKey? Created)> CreateAsync(string name, string createdBy, CancellationToken cancellationToken) =>
        await CreateAsync(name, createdBy, programs: null, cancellationToken);

    public async Task<(StaffKeyChange Change, CreatedStaffKey? Created)> CreateAsync(string name, string createdBy, IReadOnlyList<string>? programs, CancellationToken cancellationToken)
    {
        if (IsConfigured(name))
        {
            return (StaffKeyChange.Configured, null);
        }

        var key = KeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var entity = new StaffKeyEntity
        {
            RowKey = name,
            KeyHash = Convert.ToHexStringLower(ApiKeyHash.Of(key)),
            CreatedAt = time.GetUtcNow(),
            CreatedBy = createdBy,
            Programs = programs is null ? null : string.Join(',', programs),
        };
        try
        {
            await Table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return (StaffKeyChange.Exists, null);
        }

        Invalidate();
        LogCreated(logger, name, createdBy);
        return (StaffKeyChange.Done, new CreatedStaffKey(name, key, entity.CreatedAt, programs));
    }

    public async Task<StaffKeyChange> RevokeAsync(string name, CancellationToken cancellationToken)
    {
        // The table first: a key created through the API stays revocable when a settings key was later given its name.
        var entity = await Table.GetIfExistsAsync<StaffKeyEntity>(StaffKeyEntity.PartitionKeyValue, name, cancellationToken);
        if (entity is null)
        {
            return IsConfigured(name) ? StaffKeyChange.Configured : StaffKeyChange.Unknown;
        }

        if (entity.RevokedAt is null)
        {
            entity.RevokedAt = time.GetUtcNow();

            // Revoking twice is harmless, so a concurrent revocation may simply overwrite the time.
            await Table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Replace, cancellationToken);
            LogRevoked(logger, name);
        }

        Invalidate();
        return StaffKeyChange.Done;
    }

    public async Task<IReadOnlyList<StaffKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var keys = configuredKeys.CurrentValue.Staff.Keys.Order(StringComparer.Ordinal)
            .Select(name => new StaffKeyInfo(name, StaffKeyInfo.FromSettings, null, null))
            .ToList();
        await foreach (var entity in QueryAllAsync(cancellationToken))
        {
            keys.Add(new StaffKeyInfo(entity.RowKey, StaffKeyInfo.FromApi, entity.CreatedAt, entity.RevokedAt)
            {
                Programs = entity.Programs?.Split(',', StringSplitOptions.RemoveEmptyEntries),
            });
        }

        return keys;
    }

    public void Dispose() => _refreshLock.Dispose();

    private bool IsConfigured(string name) => configuredKeys.CurrentValue.Staff.Keys.Contains(name, StringComparer.OrdinalIgnoreCase);

    private void Invalidate() => Interlocked.Increment(ref _generation);

    private async ValueTask<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var current = _snapshot;
        if (IsFresh(current))
        {
            return current!;
        }

        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            current = _snapshot;
            if (IsFresh(current))
            {
                return current!;
            }

            // A change made while this read runs bumps the generation, so the result is not taken as fresh.
            var generation = Interlocked.Read(ref _generation);
            var now = time.GetUtcNow();
            var active = new List<(string, byte[])>();
            var limited = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
            var stored = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            try
            {
                await foreach (var entity in QueryAllAsync(cancellationToken))
                {
                    stored.Add(entity.RowKey);
                    if (entity.RevokedAt is null && entity.KeyHash.Length == 64)
                    {
                        active.Add((entity.RowKey, Convert.FromHexString(entity.KeyHash)));
                        if (entity.Programs is { } programs)
                        {
                            limited[entity.RowKey] = programs.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
                        }
                    }
                }
            }
            catch (RequestFailedException e)
            {
                // Storage hiccup: keep the keys known a moment ago (unless this instance changed them since),
                // but only for MaxKeyStaleness after they were last read: past that, a key revoked meanwhile
                // could still be working, so runtime keys fail closed until storage answers again.
                if (current is null || current.Generation != generation || now - current.ReadAt > options.Value.MaxKeyStaleness)
                {
                    LogFailingClosed(logger, e);
                    var closed = new Snapshot([], EmptyPrograms, current?.ReadAt ?? DateTimeOffset.MinValue, now, generation, Unavailable: true, current?.Clashes ?? NoClashes);
                    _snapshot = closed;
                    return closed;
                }

                LogRefreshFailed(logger, e);
                var kept = current with { CheckedAt = now };
                _snapshot = kept;
                return kept;
            }

            var clashes = configuredKeys.CurrentValue.Staff.Keys.Where(stored.Contains).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var name in clashes.Where(name => current?.Clashes.Contains(name) != true))
            {
                LogNameClash(logger, name);
            }

            var snapshot = new Snapshot(active, limited, now, now, generation, Unavailable: false, clashes);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    private bool IsFresh(Snapshot? snapshot) =>
        snapshot is not null
        && snapshot.Generation == Interlocked.Read(ref _generation)
        && time.GetUtcNow() - snapshot.CheckedAt < options.Value.KeyRefreshInterval;

    private AsyncPageable<StaffKeyEntity> QueryAllAsync(CancellationToken cancellationToken) =>
        Table.QueryAsync<StaffKeyEntity>(e => e.PartitionKey == StaffKeyEntity.PartitionKeyValue, cancellationToken: cancellationToken);

    // Audit trail: names only, never a key or its hash.
    [LoggerMessage(LogLevel.Information, "Staff key {Name} created by backend key {CreatedBy}")]
    private static partial void LogCreated(ILogger logger, string name, string createdBy);

    [LoggerMessage(LogLevel.Information, "Staff key {Name} revoked")]
    private static partial void LogRevoked(ILogger logger, string name);

    [LoggerMessage(LogLevel.Error, "Staff key {Name} from the settings (WalletPasses:ApiKeys:Staff) is refused: a key created through the API has that name. Give the settings key another name, or remove it")]
    private static partial void LogNameClash(ILogger logger, string name);

    [LoggerMessage(LogLevel.Warning, "Could not re-read staff keys; using the ones loaded before")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Error, "Could not re-read staff keys for longer than MaxKeyStaleness; keys created through the API are refused until storage answers")]
    private static partial void LogFailingClosed(ILogger logger, Exception exception);

    /// <param name="ReadAt">When storage last answered: the keys are as of then.</param>
    /// <param name="CheckedAt">When storage was last asked (a failed attempt too): the next attempt waits an interval from it.</param>
    /// <param name="Unavailable">Failing closed: storage has not answered for longer than MaxKeyStaleness.</param>
    /// <param name="Programs">The programs of the keys limited to some (<see cref="ProgramsOfAsync"/>).</param>
    /// <param name="Clashes">Names of keys from the settings that a key created through the API has (<see cref="ClaimsNameAsync"/>); kept while storage does not answer.</param>
    private sealed record Snapshot(IReadOnlyList<(string Name, byte[] Hash)> Active, IReadOnlyDictionary<string, IReadOnlySet<string>> Programs, DateTimeOffset ReadAt, DateTimeOffset CheckedAt, long Generation, bool Unavailable, IReadOnlySet<string> Clashes);
}
