using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WalletPasses.Activity;
using WalletPasses.Apple;
using WalletPasses.Apple.Apns;
using WalletPasses.Backend;
using WalletPasses.Barcodes;
using WalletPasses.Delivery;
using WalletPasses.Demo;
using WalletPasses.Events;
using WalletPasses.Google;
using WalletPasses.Health;
using WalletPasses.Members;
using WalletPasses.Security;
using WalletPasses.Staff;
using WalletPasses.Storage;
using WalletPasses.Templates;

namespace WalletPasses.Hosting;

/// <summary>
/// The application as both hosts run it: the standalone ASP.NET Core host (<c>Program</c>: <c>./run.sh</c>,
/// the tests, self-hosting) and the Azure Functions isolated worker (<c>function-host/</c>). Services, the
/// request pipeline and every route are declared here once; each host adds only what drives background
/// work (hosted services standalone, host triggers under Functions).
/// </summary>
public static class WalletPassesApplication
{
    /// <summary>Every public route is below <c>/api</c>; the Functions host's <c>extensions.http.routePrefix</c> is the same.</summary>
    public const string RoutePrefix = "api";

    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Everything the routes and host triggers need; no in-process loops (see <see cref="AddStandaloneBackgroundWork"/>).</summary>
    public static IServiceCollection AddWalletPasses(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddLogRedaction();
        services.AddWalletPassesProblemDetails();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache(cache => cache.SizeLimit = 256L * 1024 * 1024);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);

        services.AddOptions<WalletPassesOptions>().Bind(configuration.GetSection(WalletPassesOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WalletPassesOptions>, WalletPassesOptionsValidator>();
        services.AddOptions<AppleOptions>().Bind(configuration.GetSection(AppleOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AppleOptions>, AppleOptionsValidator>();
        services.AddSingleton<IValidateOptions<AppleOptions>, AppleProductionOptionsValidator>();
        services.AddOptions<BarcodeOptions>().Bind(configuration.GetSection(BarcodeOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BarcodeOptions>, BarcodeOptionsValidator>();
        services.AddApiKeyAuthentication(configuration);
        services.AddTransportSecurity(configuration);

        services.AddSingleton<StorageClients>();
        services.AddSingleton<DerivedKeys>();
        services.AddSingleton<BarcodeTokens>();
        services.AddSingleton<PassBarcodes>();
        services.AddSingleton(sp => PassCertificates.Load(sp.GetRequiredService<IOptions<AppleOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ITemplateRule, CertificateMatchesTemplateRule>();
        services.AddSingleton<BlobTemplateStore>();
        services.AddSingleton<ITemplateSource>(sp => sp.GetRequiredService<BlobTemplateStore>());
        services.AddSingleton<IPassSigner, PassSigner>();
        services.AddSingleton<PkPassBuilder>();
        services.AddSingleton<AuthenticationTokens>();
        services.AddSingleton<PassLinks>();
        services.AddSingleton<ApplePasses>();
        services.AddSingleton<PassIssuer>();
        services.AddSingleton<MemberStore>();
        services.AddDelivery(configuration);
        services.AddSingleton<DeviceRegistrations>();
        services.AddSingleton<PassActivity>();
        services.AddPassKitWebService(configuration);
        services.AddSingleton<IApnsClientCertificateSource, PassCertificateApnsSource>();
        services.AddApnsClient(configuration);
        // Retry back-off runs on the wall clock, whatever clock the business logic is given (tests freeze theirs).
        services.Replace(ServiceDescriptor.Singleton<IApnsClient>(sp => ActivatorUtilities.CreateInstance<ApnsClient>(sp, TimeProvider.System)));
        services.AddSingleton<IPassChangeNotifier>(sp => sp.GetRequiredService<ApplePushNotifier>()); // ApplePushNotifier itself: AddDelivery
        services.AddSingleton<TemplateImageUrls>();
        services.AddHostedService<StorageInitializer>();
        services.AddGoogleWallet(configuration); // after the storage initializer: its background work needs storage and the template

        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section));
        services.AddOptions<EventSigningOptions>().Bind(configuration.GetSection(EventSigningOptions.Section));
        services.AddOptions<EventPollingOptions>().Bind(configuration.GetSection(EventPollingOptions.Section));
        services.AddSingleton<LoyaltyEventProcessor>();
        services.AddSingleton<LoyaltyEventMessages>();

        services.AddSingleton<PassActivityPublisher>();
        services.AddStaff(configuration);
        services.AddRetention(configuration);
        return services;
    }

    /// <summary>
    /// The standalone host's stand-ins for host triggers: the loyalty-events queue poller and the periodic job
    /// runner (the Functions app has a queue trigger and a timer trigger per job instead). Never registered under the Functions host, where nothing may rely on
    /// the process living on between invocations.
    /// </summary>
    public static IServiceCollection AddStandaloneBackgroundWork(this IServiceCollection services)
    {
        services.AddHostedService<LoyaltyEventQueuePoller>();
        services.AddHostedService<StandaloneJobRunner>(); // the Functions host leaves the jobs to its timer triggers
        return services;
    }

    /// <summary>Forwarded headers and HSTS, problem details for every error, then authentication, authorization and the rate limits.</summary>
    public static IApplicationBuilder UseWalletPasses(this IApplicationBuilder app)
    {
        app.UseTransportSecurity();
        app.UseWalletPassesProblemDetails();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter(); // after authorization: limits are per authenticated staff key
        return app;
    }

    /// <summary>Every product route, relative to <paramref name="api"/> (the <see cref="RoutePrefix"/> group).</summary>
    public static IEndpointRouteBuilder MapWalletPassesApis(this IEndpointRouteBuilder api)
    {
        api.MapHealthApi();
        api.MapMembersApi();
        api.MapApplePassApi();
        api.MapPassKitApi().WithDeliveryTrace();
        api.MapDeliveryApi();
        api.MapTemplateImagesApi();
        api.MapGoogleWalletApi();
        api.MapLoyaltyEventsApi();
        api.MapBarcodeKeysApi();
        api.MapValidationsApi();
        api.MapRedemptionsApi();
        api.MapStaffKeysApi();
        api.MapStaffPageApi();
        return api;
    }

    /// <summary>
    /// The standalone host's routes: the product's, plus in Development the demo page, which creates members
    /// and sends events without a key (local runs only; the Functions app does not serve it).
    /// </summary>
    public static void MapStandaloneApis(this WebApplication app)
    {
        var api = app.MapGroup("/" + RoutePrefix);
        api.MapWalletPassesApis();
        if (app.Environment.IsDevelopment())
        {
            api.MapDemoApi();
        }
    }
}
