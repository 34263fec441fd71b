using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Events;

/// <summary>Ingestion only: the queue is not consumed here, so what lands on it can be read back.</summary>
public sealed class IngestionOnlyFixture : AppFixture
{
    public const string SigningSecret = "backend-hmac-secret-0123456789";

    protected override IDictionary<string, string?>? SettingOverrides => new Dictionary<string, string?>
    {
        ["WalletPasses:Events:PollQueue"] = "false",
    };
}
