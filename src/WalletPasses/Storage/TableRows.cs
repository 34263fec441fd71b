using System.Globalization;

namespace WalletPasses.Storage;

/// <summary>
/// The kinds of row of each table, by RowKey (or fixed PartitionKey): the code counterpart of
/// <c>Storage/PARTITIONING.md</c>, which says why each exists and who reads it. Every entity class takes its
/// key from here, so a table's rows are named in one place and cannot collide. A prefix ends in '|'; the
/// prefix with '|' replaced by '}' (the next character) ends its range (see <see cref="RangeEnd"/>).
/// </summary>
public static class TableRows
{
    /// <summary>The exclusive upper bound of the RowKeys starting with <paramref name="prefix"/>: RowKey in [prefix, end) is exactly that kind.</summary>
    public static string RangeEnd(string prefix) => prefix[..^1] + "}";

    /// <summary>Table <c>programs</c>: the programs added at run time, and which program the deployment's storage is the default of.</summary>
    public static class Programs
    {
        /// <summary>The PartitionKey of program rows (RowKey = program id: created, quiet hours, retired).</summary>
        public const string ProgramPartition = "program";

        /// <summary>The PartitionKey of the deployment's own row, RowKey <see cref="DefaultProgramRow"/>.</summary>
        public const string DeploymentPartition = "deployment";

        /// <summary>The program id the members stored under their bare ids belong to (the first <c>WalletPasses:ProgramId</c>).</summary>
        public const string DefaultProgramRow = "default-program";
    }

    /// <summary>Table <c>members</c>, PartitionKey = member id: the member and every row that must change in one transaction with it.</summary>
    public static class Members
    {
        /// <summary>The member: profile, pass serial, barcode, version, event state.</summary>
        public const string Member = "member";

        /// <summary><c>event|{eventId}</c>: an event that took effect.</summary>
        public const string EventPrefix = "event|";

        /// <summary><c>reg|{deviceLibraryIdentifier}</c>: an Apple device registered for the pass.</summary>
        public const string RegistrationPrefix = "reg|";

        /// <summary><c>trace|{inverted ticks}|{kind}|{key}</c>: what happened to the pass versions on their way to devices and Google.</summary>
        public const string TracePrefix = "trace|";

        /// <summary>What the member's Google object shows (written by the Google sync only).</summary>
        public const string Google = "google";

        /// <summary>Whether someone holds the Google pass (from save and delete callbacks).</summary>
        public const string GoogleInstall = "google-install";

        /// <summary>Who may write the member's Google object now, and until when (the Google sync's lease).</summary>
        public const string GoogleLease = "google-lease";

        /// <summary>The outbox: the latest pass version and which platforms have not heard of it yet.</summary>
        public const string Announcement = "announcement";

        /// <summary><c>redemption|{idempotency key}</c>: an accepted redemption with its stored answer.</summary>
        public const string RedemptionPrefix = "redemption|";

        /// <summary><c>perk|{escaped perk id}|once</c> or <c>perk|{escaped perk id}|day|{yyyy-MM-dd}</c>: the claim on a limited perk for its period.</summary>
        public const string PerkClaimPrefix = "perk|";

        /// <summary>The member's open points holds.</summary>
        public const string Holds = "holds";

        public static string Event(string eventId) => EventPrefix + eventId;

        public static string Registration(string deviceLibraryIdentifier) => RegistrationPrefix + deviceLibraryIdentifier;

        public static string Redemption(string idempotencyKey) => RedemptionPrefix + idempotencyKey;

        // Perk ids come from the template; escaping keeps Table Storage's forbidden key characters out.
        public static string PerkClaimOnce(string perkId) => PerkClaimPrefix + Uri.EscapeDataString(perkId) + "|once";

        public static string PerkClaimOfDay(string perkId, DateOnly day) =>
            PerkClaimPrefix + Uri.EscapeDataString(perkId) + PerkClaimDayInfix + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        /// <summary>
        /// Whether <paramref name="rowKey"/> is a claim for one day (not a once-only claim). The perk id is escaped, so
        /// its own '|' cannot make a once-only claim look like one.
        /// </summary>
        public static bool IsPerkClaimOfDay(string rowKey) =>
            rowKey.StartsWith(PerkClaimPrefix, StringComparison.Ordinal) && rowKey.Contains(PerkClaimDayInfix, StringComparison.Ordinal);

        private const string PerkClaimDayInfix = "|day|";
    }

    /// <summary>Table <c>passes</c>: the index from serial number (and short code) to member, and the voided passes.</summary>
    public static class Passes
    {
        /// <summary>PartitionKey = serial number: the pass's member and token hash.</summary>
        public const string Pass = "pass";

        /// <summary>PartitionKey = short code: the barcode token it stands for.</summary>
        public const string ShortCode = "code";

        /// <summary>The PartitionKey of voided passes, RowKey <c>{voided at, ticks}|{serial}</c>.</summary>
        public const string VoidedPartition = "voided";
    }

    /// <summary>Table <c>announcementsdue</c>, PartitionKey = member id.</summary>
    public static class AnnouncementsDue
    {
        public const string Due = "due";
    }

    /// <summary>Table <c>pointswebhook</c>, PartitionKey = redemption id.</summary>
    public static class PointsWebhook
    {
        public const string Pending = "pending";
    }

    /// <summary>Table <c>deliverytrace</c>: members to check for a re-push, and hourly statistics.</summary>
    public static class DeliveryTrace
    {
        /// <summary><c>check|{yyyyMMddHHmm}</c>, RowKey = member id: members pushed in that minute.</summary>
        public const string CheckPartitionPrefix = "check|";

        /// <summary>RowKey <c>{yyyyMMddHH}</c>: device counts of that hour.</summary>
        public const string StatsPartition = "stats";

        /// <summary>PartitionKey of the device census, RowKey <see cref="Census"/>: the last complete count and the one in progress.</summary>
        public const string CensusPartition = "census";

        public const string Census = "devices";
    }
}
