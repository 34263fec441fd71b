using System.Diagnostics.CodeAnalysis;

namespace WalletPasses.Google;

/// <summary>Either a verified <see cref="Message"/> or the <see cref="Rejection"/> reason.</summary>
public sealed record CallbackVerificationResult
{
    private CallbackVerificationResult(CallbackMessage? message, CallbackRejection? rejection)
    {
        Message = message;
        Rejection = rejection;
    }

    public CallbackMessage? Message { get; }

    public CallbackRejection? Rejection { get; }

    [MemberNotNullWhen(true, nameof(Message))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool IsValid => Message is not null;

    internal static CallbackVerificationResult Valid(CallbackMessage message) => new(message, rejection: null);

    internal static CallbackVerificationResult Invalid(CallbackRejection rejection) => new(message: null, rejection);
}
