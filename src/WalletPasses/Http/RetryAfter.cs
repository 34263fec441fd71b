using System.Globalization;

namespace WalletPasses.Http;

/// <summary>
/// The <c>Retry-After</c> header of a 429 or 503 (RFC 9110 10.2.3: delay-seconds, a whole number), rounded up so that a
/// client waiting it out never comes back early, and at least one second.
/// </summary>
public static class RetryAfter
{
    /// <summary>How long to wait when the service cannot tell: long enough for an instance to start or an operator to fix a setting.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static void Set(HttpResponse response, TimeSpan wait) =>
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
