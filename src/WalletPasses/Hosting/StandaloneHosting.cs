namespace WalletPasses.Hosting;

/// <summary>
/// Where the standalone host listens: <c>http://localhost:7071</c> (the Azure Functions local default, so
/// links and docs are the same for both hosts) unless <c>urls</c> / <c>ASPNETCORE_URLS</c> says otherwise.
/// </summary>
public static class StandaloneHosting
{
    public const string DefaultUrl = "http://localhost:7071";

    public static void ConfigureUrls(WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
    }
}
