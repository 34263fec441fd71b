namespace WalletPasses.OpenApi;

/// <summary>
/// What the OpenAPI generator cannot read from one operation's handler: the JSON body it reads itself (through
/// <see cref="Hosting.JsonBody"/>), the problem answers its <c>ProblemHttpResult</c> stands for, raw JSON answers,
/// and whether devices authenticate with the pass's token. <paramref name="Route"/> is relative to the <c>api</c> prefix.
/// </summary>
public sealed record ApiOperation(string Method, string Route, string Summary)
{
    /// <summary>The JSON request body, read with <see cref="Hosting.JsonBody"/> (so 400, 413 and 415 problems apply).</summary>
    public Type? Body { get; init; }

    /// <summary>The body may also be a JSON array of up to this many <see cref="Body"/> items.</summary>
    public int? BodyArrayMaxItems { get; init; }

    public IReadOnlyList<ProblemAnswer> Problems { get; init; } = [];

    public IReadOnlyList<SuccessAnswer> Answers { get; init; } = [];

    /// <summary>Request headers the handler reads itself (the generator sees only bound parameters).</summary>
    public IReadOnlyList<HeaderParameter> Headers { get; init; } = [];

    /// <summary>Authenticated per pass with <c>Authorization: ApplePass|AndroidPass {authenticationToken}</c> (Apple's PassKit web service).</summary>
    public bool PassToken { get; init; }

    /// <summary>A customer's link: its problems are also answered as an HTML page to a browser (<see cref="Http.CustomerErrorPages"/>).</summary>
    public bool CustomerPages { get; init; }

    public string Key => Method + " " + Route;
}
