using Microsoft.Extensions.Options;

namespace WalletPasses.Barcodes;

public static class BarcodesServiceCollectionExtensions
{
    /// <summary>Barcode tokens and their keys (<see cref="BarcodeOptions"/>), short codes and the voided-pass list.</summary>
    public static IServiceCollection AddBarcodes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BarcodeOptions>().Bind(configuration.GetSection(BarcodeOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BarcodeOptions>, BarcodeOptionsValidator>();
        services.AddSingleton<BarcodeTokens>();
        services.AddSingleton<PassBarcodes>();
        return services;
    }
}
