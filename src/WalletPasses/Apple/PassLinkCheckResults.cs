using Microsoft.AspNetCore.Http.HttpResults;

namespace WalletPasses.Apple;

public static class PassLinkCheckResults
{
    /// <summary>The answer to a link that does not pass the check (403 forged, 410 expired); null for a valid link.</summary>
    public static ProblemHttpResult? ToProblem(this PassLinkCheck check) => check switch
    {
        PassLinkCheck.Invalid => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Invalid link", detail: "This pass link is not valid."),
        PassLinkCheck.Expired => TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Link expired", detail: "This pass link has expired; ask for a new one."),
        _ => null,
    };

    /// <summary>A valid link to a pass of a retired program: it is no longer issued, by either wallet.</summary>
    public static ProblemHttpResult ProgramEnded() =>
        TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Program ended", detail: "This loyalty program has ended: its card can no longer be added.");

    /// <summary>A valid link to a pass its member no longer has (erased, or given a new pass since).</summary>
    public static ProblemHttpResult NoLongerAvailable() =>
        TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Pass no longer available", detail: "This card is no longer available from this link.");
}
