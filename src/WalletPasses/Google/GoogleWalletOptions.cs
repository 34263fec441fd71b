namespace WalletPasses.Google;

/// <summary>Settings under <c>WalletPasses:Google</c> (environment: <c>WalletPasses__Google__*</c>).</summary>
public sealed class GoogleWalletOptions
{
    public const string Section = "WalletPasses:Google";

    /// <summary>OAuth scope of the Wallet REST API.</summary>
    public const string WalletObjectIssuerScope = "https://www.googleapis.com/auth/wallet_object.issuer";

    /// <summary>
    /// The sender id when <see cref="CallbackSenderIds"/> is left empty: Google's callback guide and its Tink sample use
    /// <c>GooglePayPasses</c>, and the real captured callback verifies with it only. Configure another one explicitly.
    /// </summary>
    public static IReadOnlyList<string> DefaultCallbackSenderIds { get; } = ["GooglePayPasses"];

    /// <summary>The numeric Google Wallet issuer id; object and class ids start with it.</summary>
    public string IssuerId { get; set; } = "";

    public Uri ApiBaseUrl { get; set; } = new("https://walletobjects.googleapis.com/walletobjects/v1/");

    /// <summary>
    /// Path of the service-account JSON key; its <c>token_uri</c> is the OAuth endpoint used. Set this or
    /// <see cref="ServiceAccountKeyJson"/>, not both.
    /// </summary>
    public string ServiceAccountKeyFile { get; set; } = "";

    /// <summary>
    /// The service-account JSON key's text, for hosts that hand secrets over as settings (an Azure app setting that is
    /// a Key Vault reference resolves to the secret's text, not to a file).
    /// </summary>
    public string ServiceAccountKeyJson { get; set; } = "";

    internal bool HasKeyFile => !string.IsNullOrWhiteSpace(ServiceAccountKeyFile);

    internal bool HasKeyJson => !string.IsNullOrWhiteSpace(ServiceAccountKeyJson);

    /// <summary>Root signing keys for save/delete callbacks.</summary>
    public Uri CallbackKeysUrl { get; set; } = new("https://pay.google.com/gp/m/issuer/keys");

    /// <summary>
    /// Sender ids a callback signature may be made for. A configured list replaces the defaults
    /// (the configuration binder would append to a pre-filled list, so the defaults are applied after binding).
    /// </summary>
    public IList<string> CallbackSenderIds { get; } = [];

    /// <summary>
    /// Web origins allowed to show the "Add to Google Wallet" button (the save JWT's <c>origins</c>); left empty, the
    /// origin of <c>WalletPasses:PublicBaseUrl</c>.
    /// </summary>
    public IList<string> Origins { get; } = [];

    /// <summary>Client-side request limit; Google's FAQ is quoted second-hand at 20 per second.</summary>
    public int RequestsPerSecond { get; set; } = 20;

    /// <summary>Retries of a request that got 429, 408, 5xx or a transport error.</summary>
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>First retry delay; later ones double (with jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After a failed (or timed-out) sync, when the stale-announcement job retries it; the delay doubles with each
    /// further failure, up to <see cref="MaxSyncRetryDelay"/>.
    /// </summary>
    public TimeSpan SyncRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxSyncRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long creating a member (and opening a save link) waits for Google to have the new object; past it the
    /// answer goes out and the object follows in the background.
    /// </summary>
    public TimeSpan IssueTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
