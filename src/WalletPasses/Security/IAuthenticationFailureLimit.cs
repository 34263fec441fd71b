namespace WalletPasses.Security;

/// <summary>
/// Limits failed key authentications of one role per client, checked before a key is even compared: a
/// client over the limit is refused (429) whatever key it presents, so guessing cannot go on at full speed.
/// </summary>
public interface IAuthenticationFailureLimit
{
    string Role { get; }

    /// <summary>How long this client must wait before presenting a key again, or null when it may.</summary>
    TimeSpan? RetryAfter(HttpContext context);

    /// <summary>Counts a presented key that matched nothing.</summary>
    void Failed(HttpContext context);
}
