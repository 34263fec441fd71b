using System.Threading.RateLimiting;
using Google.Apis.Auth.OAuth2;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using WalletPasses.Telemetry;

namespace WalletPasses.Google;

public static class GoogleWalletServiceCollectionExtensions
{
    // Keyed so the wallet's credential and limiter cannot collide with anything else the app registers.
    private const string ServiceKey = "WalletPasses.Google";

    /// <summary>
    /// Registers <see cref="GoogleWalletClient"/> (bearer token, client-side rate limit, retries on 429, 403 rate limits and 5xx),
    /// <see cref="SaveJwtBuilder"/> and <see cref="CallbackVerifier"/>, with options bound from
    /// <paramref name="configuration"/> (the <c>WalletPasses:Google</c> section). Call it only when the issuer id is set.
    /// </summary>
    public static IServiceCollection AddGoogleWalletClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<GoogleWalletOptions>().Bind(configuration);
        return services.AddGoogleWalletServices();
    }

    /// <inheritdoc cref="AddGoogleWalletClient(IServiceCollection, IConfiguration)"/>
    public static IServiceCollection AddGoogleWalletClient(this IServiceCollection services, Action<GoogleWalletOptions> configure)
    {
        services.AddOptions<GoogleWalletOptions>().Configure(configure);
        return services.AddGoogleWalletServices();
    }

    private static IServiceCollection AddGoogleWalletServices(this IServiceCollection services)
    {
        // The client counts its calls; registered here too so the client stands alone (the Google fake, tools).
        services.AddMetrics();
        services.TryAddSingleton<WalletPassesTelemetry>();
        services.AddOptions<GoogleWalletOptions>()
            .PostConfigure(options =>
            {
                if (options.CallbackSenderIds.Count == 0)
                {
                    foreach (var senderId in GoogleWalletOptions.DefaultCallbackSenderIds)
                    {
                        options.CallbackSenderIds.Add(senderId);
                    }
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GoogleWalletOptions>, GoogleWalletOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider =>
            GoogleServiceAccountKey.Load(provider.GetRequiredService<IOptions<GoogleWalletOptions>>().Value));
        services.AddKeyedSingleton(ServiceKey, (provider, _) =>
            GoogleWalletAuthHandler.CreateCredential(provider.GetRequiredService<GoogleServiceAccountKey>()));
        services.AddKeyedSingleton(ServiceKey, (provider, _) =>
            ClientRateLimitHandler.CreateLimiter(provider.GetRequiredService<IOptions<GoogleWalletOptions>>().Value.RequestsPerSecond));

        var walletHttpClient = services.AddHttpClient<GoogleWalletClient>((provider, httpClient) =>
        {
            var apiBaseUrl = provider.GetRequiredService<IOptions<GoogleWalletOptions>>().Value.ApiBaseUrl;
            // Relative resource paths only append to a base that ends in '/'.
            httpClient.BaseAddress = apiBaseUrl.AbsoluteUri.EndsWith('/') ? apiBaseUrl : new Uri(apiBaseUrl.AbsoluteUri + "/");
        });

        // Handler order, outermost first: retries, then for every attempt the health record of its outcome, the rate
        // limit, a token, the call count and the unanswered-write note. Health sees each attempt, not only a call's last:
        // the caller's time-out (IssueTimeout, 5 s) often ends a call during the back-off, before its last attempt.
        services.TryAddSingleton<GoogleWalletHealth>();
        walletHttpClient.AddResilienceHandler("google-wallet-retry", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<GoogleWalletOptions>>().Value;
            // Back-off between attempts of one call runs on the wall clock (CONTRIBUTING, "One composition style"):
            // Polly would take the app's TimeProvider, which tests freeze.
            pipeline.TimeProvider = TimeProvider.System;
            // Retries 408, 429, a 403 rateLimitExceeded/userRateLimitExceeded (Google's throttling, as a 429), 5xx and
            // transport errors, honouring Retry-After; other 403s (permission, notification quota) are final. Never an
            // addMessage: it is not idempotent (a 5xx may come after Google added the message, and a repeat shows the
            // holder the message twice); the durable sync retries it once it has checked what the object shows.
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = async arguments =>
                    !IsAddMessage(arguments.Context.GetRequestMessage())
                    && (HttpClientResiliencePredicates.IsTransient(arguments.Outcome)
                        || (arguments.Outcome.Result is { } response
                            && await GoogleWalletException.IsRateLimitedForbiddenAsync(response, arguments.Context.CancellationToken))),
            });
        });
        walletHttpClient.AddHttpMessageHandler(provider =>
            new GoogleWalletHealthHandler(
                provider.GetRequiredService<GoogleWalletHealth>(),
                provider.GetRequiredService<TimeProvider>(),
                // A caller cancelled by the shutdown did not time out on Google. None outside a host (the client alone).
                provider.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None));
        walletHttpClient.AddHttpMessageHandler(provider =>
            new ClientRateLimitHandler(provider.GetRequiredKeyedService<RateLimiter>(ServiceKey)));
        walletHttpClient.AddHttpMessageHandler(provider =>
            new GoogleWalletAuthHandler(provider.GetRequiredKeyedService<ServiceAccountCredential>(ServiceKey)));
        walletHttpClient.AddHttpMessageHandler(provider => new GoogleCallCounter(provider.GetRequiredService<WalletPassesTelemetry>()));
        walletHttpClient.AddHttpMessageHandler(() => new UnansweredWriteHandler()); // each attempt, as sent

        services.AddHttpClient(HttpCallbackRootKeyProvider.HttpClientName);
        services.TryAddSingleton<ICallbackRootKeyProvider, HttpCallbackRootKeyProvider>();
        services.TryAddSingleton<CallbackVerifier>();
        services.TryAddSingleton<SaveJwtBuilder>();
        return services;
    }

    private static bool IsAddMessage(HttpRequestMessage? request) =>
        request?.RequestUri?.OriginalString.EndsWith(GoogleWalletClient.AddMessagePathSuffix, StringComparison.Ordinal) == true;
}
