using WalletPasses.Activity;
using WalletPasses.Programs;
using WalletPasses.Templates;

namespace WalletPasses.Staff;

/// <summary>The services a redemption uses.</summary>
public readonly record struct RedemptionServices(
    PassChecker Checker, RedemptionLedger Ledger, PassActivityPublisher Activity, PointsWebhook Webhook, ProgramTemplates Templates, ProgramRegistry Programs, TimeProvider Time);
