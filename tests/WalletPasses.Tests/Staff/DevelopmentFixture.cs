using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Staff;

/// <summary>The app in the Development environment, where the demo page exists.</summary>
public sealed class DevelopmentFixture : AppFixture
{
    protected override string EnvironmentName => "Development";
}
