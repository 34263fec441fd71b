using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WalletPasses;
using WalletPasses.Activity;
using WalletPasses.Apple;
using WalletPasses.Apple.Apns;
using WalletPasses.Barcodes;
using WalletPasses.Delivery;
using WalletPasses.Demo;
using WalletPasses.Events;
using WalletPasses.Google;
using WalletPasses.Health;
using WalletPasses.Hosting;
using WalletPasses.Members;
using WalletPasses.Security;
using WalletPasses.Staff;
using WalletPasses.Storage;
using WalletPasses.Templates;

var localSettings = LocalSettings.Load();
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    EnvironmentName = LocalSettings.EnvironmentNameOverride(localSettings),
});

// local.settings.json Values as the Functions host would apply them; environment variables and the
// command line still win.
builder.Configuration.AddInMemoryCollection(localSettings);
builder.Configuration.AddEnvironmentVariables();
builder.Configuration.AddCommandLine(args.Where(a => a != DevelopmentSetup.Command).ToArray());

if (args.Contains(DevelopmentSetup.Command))
{
    return DevelopmentSetup.Run(builder.Configuration);
}

HandlerHosting.ConfigureUrls(builder);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 1024 * 1024);

var services = builder.Services;
services.AddWalletPassesProblemDetails();
services.AddSingleton(TimeProvider.System);
services.AddMemoryCache(cache => cache.SizeLimit = 256L * 1024 * 1024);
services.ConfigureHttpJsonOptions(json => json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);

services.AddOptions<WalletPassesOptions>().Bind(builder.Configuration.GetSection(WalletPassesOptions.Section)).ValidateOnStart();
services.AddSingleton<IValidateOptions<WalletPassesOptions>, WalletPassesOptionsValidator>();
services.AddOptions<AppleOptions>().Bind(builder.Configuration.GetSection(AppleOptions.Section)).ValidateOnStart();
services.AddSingleton<IValidateOptions<AppleOptions>, AppleOptionsValidator>();
services.AddOptions<BarcodeOptions>().Bind(builder.Configuration.GetSection(BarcodeOptions.Section)).ValidateOnStart();
services.AddSingleton<IValidateOptions<BarcodeOptions>, BarcodeOptionsValidator>();
services.AddApiKeyAuthentication(builder.Configuration);

services.AddSingleton<StorageClients>();
services.AddSingleton<DerivedKeys>();
services.AddSingleton<BarcodeTokens>();
services.AddSingleton(sp => PassCertificates.Load(sp.GetRequiredService<IOptions<AppleOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
services.AddSingleton<ITemplateRule, CertificateMatchesTemplateRule>();
services.AddSingleton<BlobTemplateStore>();
services.AddSingleton<ITemplateSource>(sp => sp.GetRequiredService<BlobTemplateStore>());
services.AddSingleton<IPassSigner, PassSigner>();
services.AddSingleton<PkPassBuilder>();
services.AddSingleton<AuthenticationTokens>();
services.AddSingleton<PassLinks>();
services.AddSingleton<ApplePasses>();
services.AddSingleton<MemberStore>();
services.AddDelivery(builder.Configuration);
services.AddSingleton<DeviceRegistrations>();
services.AddSingleton<PassActivity>();
services.AddSingleton<IApnsClientCertificateSource, PassCertificateApnsSource>();
services.AddApnsClient(builder.Configuration);
// Retry back-off runs on the wall clock, whatever clock the business logic is given (tests freeze theirs).
services.Replace(ServiceDescriptor.Singleton<IApnsClient>(sp => ActivatorUtilities.CreateInstance<ApnsClient>(sp, TimeProvider.System)));
services.AddSingleton<IPassChangeNotifier>(sp => sp.GetRequiredService<ApplePushNotifier>()); // ApplePushNotifier itself: AddDelivery
services.AddSingleton<TemplateImageUrls>();
services.AddHostedService<StorageInitializer>();
services.AddGoogleWallet(builder.Configuration); // after the storage initializer: its background work needs storage and the template

services.AddOptions<NotificationOptions>().Bind(builder.Configuration.GetSection(NotificationOptions.Section));
services.AddOptions<EventSigningOptions>().Bind(builder.Configuration.GetSection(EventSigningOptions.Section));
services.AddOptions<EventPollingOptions>().Bind(builder.Configuration.GetSection(EventPollingOptions.Section));
services.AddSingleton<LoyaltyEventProcessor>();
services.AddSingleton<LoyaltyEventMessages>();
services.AddHostedService<LoyaltyEventQueuePoller>();

services.AddSingleton<PassActivityPublisher>();
services.AddStaff(builder.Configuration);
services.AddRetention(builder.Configuration);
services.AddStandaloneJobRunner();

var app = builder.Build();
app.UseWalletPassesProblemDetails();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter(); // after authorization: limits are per authenticated staff key

app.MapHealthApi();
app.MapMembersApi();
app.MapApplePassApi();
app.MapPassKitApi().WithDeliveryTrace();
app.MapDeliveryApi();
app.MapTemplateImagesApi();
app.MapGoogleWalletApi();
app.MapLoyaltyEventsApi();
app.MapBarcodeKeysApi();
app.MapValidationsApi();
app.MapRedemptionsApi();
app.MapStaffKeysApi();
app.MapStaffPageApi();
if (app.Environment.IsDevelopment())
{
    app.MapDemoApi(); // creates members and sends events without a key: local runs only
}
if (HandlerHosting.IsUnderFunctionsHost(app.Configuration))
{
    app.MapQueueTriggerApi();
}

app.Run();
return 0;

/// <summary>Entry point; public for the integration tests' WebApplicationFactory.</summary>
public partial class Program;
