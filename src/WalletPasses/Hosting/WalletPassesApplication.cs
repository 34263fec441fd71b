using Microsoft.Extensions.DependencyInjection.Extensions;
using WalletPasses.Activity;
using WalletPasses.Apple;
using WalletPasses.Backend;
using WalletPasses.Barcodes;
using WalletPasses.Conformance;
using WalletPasses.Delivery;
using WalletPasses.Demo;
using WalletPasses.Events;
using WalletPasses.Google;
using WalletPasses.Health;
using WalletPasses.Http;
using WalletPasses.Members;
using WalletPasses.Notifications;
using WalletPasses.OpenApi;
using WalletPasses.Popups;
using WalletPasses.Programs;
using WalletPasses.Publishing;
using WalletPasses.Security;
using WalletPasses.Staff;
using WalletPasses.Storage;
using WalletPasses.Telemetry;
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
    /// <summary>Everything the routes and host triggers need; no in-process loops (see <see cref="AddStandaloneBackgroundWork"/>).</summary>
    public static IServiceCollection AddWalletPasses(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddLogRedaction();
        services.AddWalletPassesTelemetry(configuration);
        services.AddWalletPassesProblemDetails();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache(cache => cache.SizeLimit = 256L * 1024 * 1024);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);

        services.AddSecurity(configuration);
        services.AddTransportSecurity(configuration);
        services.AddStorage(configuration);
        services.AddPrograms();
        services.AddTemplates(configuration);
        services.AddBarcodes(configuration);
        services.AddApple(configuration);
        services.AddMembers(configuration);
        services.AddDelivery(configuration); // after Apple: the platforms are announced in registration order
        services.AddActivity(configuration);
        services.AddSingleton<StorageResources>();
        services.AddSingleton<StorageInitializer>();
        services.AddSingleton<IStorageReadiness>(sp => sp.GetRequiredService<StorageInitializer>());
        services.AddHostedService(sp => sp.GetRequiredService<StorageInitializer>()); // starts the set-up; it does not hold start-up
        services.AddSingleton(_ => new FirstAnswer(FirstAnswer.LongestWait));
        // Not after the first answer: the first pass download, which often comes right after it, would then race it.
        services.AddHostedService<PassSigningWarmUp>();
        services.AddGoogle(configuration); // after the storage initializer: its background work needs storage and the template
        services.AddEvents(configuration);
        services.AddNotifications(configuration);
        services.AddStaff(configuration);
        services.AddPublishing(configuration);
        services.AddPopups(configuration);
        services.AddHealth();
        services.AddWalletPassesOpenApi();
        return services;
    }

    /// <summary>
    /// The standalone host's stand-ins for host triggers: the loyalty-events queue poller and the periodic job
    /// runner (the Functions app has a queue trigger and a timer trigger per job instead). Never registered under the Functions host, where nothing may rely on
    /// the process living on between invocations.
    /// </summary>
    public static IServiceCollection AddStandaloneBackgroundWork(this IServiceCollection services)
    {
        // Created and started after the first answer (or FirstAnswer.LongestWait): no request waits for them.
        services.AddHostedService<AfterFirstAnswer<LoyaltyEventQueuePoller>>();
        services.AddHostedService<AfterFirstAnswer<StandaloneJobRunner>>(); // the Functions host leaves the jobs to its timer triggers
        return services;
    }

    /// <summary>The first-answer signal (<see cref="FirstAnswer"/>), forwarded headers and HSTS, problem details for every error, storage readiness, then authentication, authorization and the rate limits.</summary>
    public static IApplicationBuilder UseWalletPasses(this IApplicationBuilder app)
    {
        app.UseFirstAnswerSignal();
        app.UseTransportSecurity();
        app.UseWalletPassesProblemDetails();
        app.UseStorageReadiness(); // before authentication: staff keys live in storage
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter(); // after authorization: limits are per authenticated staff key
        return app;
    }

    /// <summary>Every product route, relative to <paramref name="api"/> (the <see cref="ApiRoutes.Prefix"/> group).</summary>
    public static IEndpointRouteBuilder MapWalletPassesApis(this IEndpointRouteBuilder api)
    {
        api.MapHealthApi();
        api.MapMembersApi();
        api.MapApplePassApi();
        api.MapPassKitApi().WithDeliveryTrace();
        api.MapDeliveryApi();
        api.MapTemplateImagesApi();
        api.MapTemplateDraftApi();
        api.MapTemplatePublishingApi();
        api.MapProgramRetirementApi();
        api.MapPopupsApi();
        api.MapGoogleWalletApi();
        api.MapLoyaltyEventsApi();
        api.MapBarcodeKeysApi();
        api.MapValidationsApi();
        api.MapRedemptionsApi();
        api.MapStaffKeysApi();
        api.MapStaffPageApi();
        api.MapStaffPopupsApi();
        api.MapOpenApiDocument();
        return api;
    }

    /// <summary>
    /// The standalone host's routes: the product's, plus in Development the demo page, which creates members
    /// and sends events without a key (local runs only; the Functions app does not serve it).
    /// </summary>
    public static void MapStandaloneApis(this WebApplication app)
    {
        var api = app.MapGroup("/" + ApiRoutes.Prefix);
        api.MapWalletPassesApis();
        if (app.Environment.IsDevelopment())
        {
            api.MapDemoApi().ExcludeFromDescription(); // a local page's helpers, not part of the API (nor of its document)
        }
    }
}
