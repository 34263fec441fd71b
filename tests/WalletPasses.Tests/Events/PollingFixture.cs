using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Events;

/// <summary>The standalone app: its poller consumes the queue, redelivering after a short visibility timeout.</summary>
public sealed class PollingFixture : AppFixture
{
    protected override IDictionary<string, string?>? SettingOverrides => new Dictionary<string, string?>
    {
        ["WalletPasses:Events:VisibilityTimeout"] = "00:00:01",
        ["WalletPasses:Events:MaxIdleDelay"] = "00:00:00.200",
    };
}
