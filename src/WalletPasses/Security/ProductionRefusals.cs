using Microsoft.Extensions.Options;
using WalletPasses.Apple;

namespace WalletPasses.Security;

/// <summary>
/// Start-up refusals of development material in Production beyond each options class's own validator
/// (API keys and the signing secret are checked by theirs): see <see cref="AppleProductionOptionsValidator"/>.
/// </summary>
public static class ProductionRefusals
{
    public static IServiceCollection AddProductionRefusals(this IServiceCollection services) =>
        services.AddSingleton<IValidateOptions<AppleOptions>, AppleProductionOptionsValidator>();
}
