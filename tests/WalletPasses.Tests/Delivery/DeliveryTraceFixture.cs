using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Delivery;

/// <summary>
/// The app with its trace flushed only when a test looks (the tests flush before reading the report), so what
/// one flush folds together is decided by the test, not by the wall clock.
/// </summary>
public sealed class DeliveryTraceFixture : AppFixture
{
    protected override IDictionary<string, string?>? SettingOverrides => new Dictionary<string, string?>
    {
        ["WalletPasses:Delivery:TraceFlushDelay"] = "00:10:00",
    };
}
