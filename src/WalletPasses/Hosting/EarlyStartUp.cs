namespace WalletPasses.Hosting;

/// <summary>
/// Starts the storage set-up on the thread pool as soon as the service provider is built, so it runs beside the host's
/// own start (route mapping, pipeline, Kestrel) on another core instead of after it, in two parts: the tables,
/// containers and queues (<see cref="StorageResources"/>, which needs only the storage clients) and the rest of
/// <see cref="StorageInitializer"/>, whose construction opens the pass certificates (PKCS#12 key derivation, the
/// costliest single step of a cold start) while the first part waits for storage. Start-up validation is unchanged:
/// it still reads the certificates and refuses bad settings with its message, waiting for the load under way rather
/// than starting a second (<see cref="Apple.PassCertificateLoader"/> loads each set of settings once). A failure here
/// is left to the host: validation reports bad settings, and the initializer's own start (a hosted service) reports
/// storage and the template. The hosted services are built early as well (singletons: the host then finds them built).
/// </summary>
public static class EarlyStartUp
{
    public static void StartStorageSetUpEarly(this IServiceProvider services)
    {
        _ = Task.Run(() => services.GetRequiredService<StorageResources>().EnsureCreatedAsync());
        _ = Task.Run(() => services.GetRequiredService<StorageInitializer>().WhenReadyAsync(CancellationToken.None));
        _ = Task.Run(() => services.GetServices<IHostedService>().Count()); // their graphs (signing, barcode keys, APNs), which the host builds before it starts them
    }
}
