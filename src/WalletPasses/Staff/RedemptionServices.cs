using WalletPasses.Activity;
using WalletPasses.Templates;

namespace WalletPasses.Staff;

/// <summary>The services a redemption uses.</summary>
public readonly record struct RedemptionServices(
    PassChecker Checker, RedemptionLedger Ledger, PassActivityPublisher Activity, PointsWebhook Webhook, ITemplateSource Templates, TimeProvider Time);
