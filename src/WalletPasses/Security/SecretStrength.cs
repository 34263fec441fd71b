namespace WalletPasses.Security;

/// <summary>
/// A rough guard against secrets anyone could guess: the estimated entropy is the length times the Shannon
/// entropy of the secret's own characters, so "a" x 40 scores 0 bits and 32 random base64 characters
/// about 140. It cannot prove a secret random; it catches the placeholder and the keyboard walk.
/// </summary>
public static class SecretStrength
{
    public const int MinimumBits = 96;

    public const string Advice = "generate one with 'openssl rand -base64 32'";

    public static double EstimatedBits(string secret)
    {
        if (secret.Length == 0)
        {
            return 0;
        }

        var perCharacter = secret.GroupBy(c => c)
            .Select(g => (double)g.Count() / secret.Length)
            .Sum(p => -p * Math.Log2(p));
        return perCharacter * secret.Length;
    }

    public static bool IsWeak(string secret) => EstimatedBits(secret) < MinimumBits;
}
