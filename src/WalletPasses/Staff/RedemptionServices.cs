using Microsoft.AspNetCore.Mvc;
using WalletPasses.Activity;
using WalletPasses.Programs;
using WalletPasses.Templates;

namespace WalletPasses.Staff;

/// <summary>The services a redemption uses; [FromServices] for the reason <see cref="Apple.RegistrationCall"/> gives (on the properties: a struct is bound through them).</summary>
public readonly record struct RedemptionServices(
    [property: FromServices] PassChecker Checker,
    [property: FromServices] RedemptionLedger Ledger,
    [property: FromServices] PassActivityPublisher Activity,
    [property: FromServices] PointsWebhook Webhook,
    [property: FromServices] ProgramTemplates Templates,
    [property: FromServices] ProgramRegistry Programs,
    [property: FromServices] TimeProvider Time);
