namespace WalletPasses.Http;

/// <summary>Either the parsed body or the problem to answer with.</summary>
public readonly record struct BodyResult<T>(T? Value, ProblemResponse? Problem)
{
    /// <summary>The body exactly as received (for signature checks).</summary>
    public ReadOnlyMemory<byte> Raw { get; init; }

    public static implicit operator BodyResult<T>(ProblemResponse problem) => new(default, problem);
}
