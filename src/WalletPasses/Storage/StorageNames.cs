namespace WalletPasses.Storage;

/// <summary>Names of every table, container and queue the service owns.</summary>
public static class StorageNames
{
    public const string MembersTable = "members";
    public const string PassesTable = "passes";
    public const string DevicesTable = "devices";
    public const string ScansTable = "scans";
    public const string StaffKeysTable = "staffkeys";
    public const string TemplatesContainer = "templates";

    /// <summary>Raw bytes of loyalty-events messages that could not be decoded or moved to the poison queue.</summary>
    public const string RejectedLoyaltyEventsContainer = "loyalty-events-rejected";
    public const string LoyaltyEventsQueue = "loyalty-events";
    public const string LoyaltyEventsPoisonQueue = LoyaltyEventsQueue + "-poison";
    public const string PassActivityQueue = "pass-activity";

    /// <summary>Members whose pass announcement may still be pending: the retry index of the outbox.</summary>
    public const string AnnouncementsDueTable = "announcementsdue";

    /// <summary>Nonces of Google's save/delete callbacks, so a replayed callback takes effect once.</summary>
    public const string GoogleCallbacksTable = "googlecallbacks";

    /// <summary>Points redemption requests the webhook has not delivered yet.</summary>
    public const string PointsWebhookTable = "pointswebhook";

    /// <summary>What devices did with pass versions (list calls, fetches, log lines), per member, newest first.</summary>
    public const string DeliveryTraceTable = "deliverytrace";

    /// <summary>Members with an important alert waiting for the end of their quiet hours, by when it is due.</summary>
    public const string DeferredAlertsTable = "alertsdue";

    /// <summary>Members whose pass shows an offer with an expiry, by when the next one is due to leave the pass.</summary>
    public const string OfferExpiriesTable = "offersdue";

    /// <summary>Template publications and the checkpoints of their bulk re-issue.</summary>
    public const string PublicationsTable = "publications";

    /// <summary>Pop-up stores per program and what passes carry of them (see Popups).</summary>
    public const string PopupsTable = "popups";

    /// <summary>Programs added at run time (the configured default program needs no row).</summary>
    public const string ProgramsTable = "programs";

    public static readonly string[] Tables = [MembersTable, PassesTable, DevicesTable, AnnouncementsDueTable, GoogleCallbacksTable, ScansTable, StaffKeysTable, PointsWebhookTable, DeliveryTraceTable, DeferredAlertsTable, OfferExpiriesTable, PublicationsTable, PopupsTable, ProgramsTable];
    public static readonly string[] Containers = [TemplatesContainer, RejectedLoyaltyEventsContainer];
    public static readonly string[] Queues = [LoyaltyEventsQueue, LoyaltyEventsPoisonQueue, PassActivityQueue];
}
