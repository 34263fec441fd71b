using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using WalletPasses.Members;

namespace WalletPasses.Apple;

/// <summary>Either the member whose pass a device may act on, or the problem to answer instead.</summary>
internal sealed record PassAccess(PassHolder? Holder, ProblemHttpResult? Problem)
{
    [MemberNotNullWhen(true, nameof(Problem))]
    [MemberNotNullWhen(false, nameof(Holder))]
    public bool Denied => Holder is null;
}
