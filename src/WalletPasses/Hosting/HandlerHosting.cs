namespace WalletPasses.Hosting;

/// <summary>
/// Where the app listens: under the Azure Functions host it is a custom handler and must listen on
/// 127.0.0.1 at <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> only; standalone it is the local server on port 7071.
/// </summary>
public static class HandlerHosting
{
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";
    public const string StandaloneUrl = "http://localhost:7071";

    /// <summary>The Functions host sets the port variable; it reaches configuration as an environment variable.</summary>
    public static bool IsUnderFunctionsHost(IConfiguration configuration) => !string.IsNullOrEmpty(configuration[PortVariable]);

    public static void ConfigureUrls(WebApplicationBuilder builder)
    {
        var port = Environment.GetEnvironmentVariable(PortVariable);
        if (!string.IsNullOrEmpty(port))
        {
            if (!int.TryParse(port, out var portNumber) || portNumber is < 1 or > 65535)
            {
                throw new InvalidOperationException($"{PortVariable} must be a TCP port number, got '{port}'.");
            }

            builder.WebHost.UseUrls($"http://127.0.0.1:{portNumber}");
        }
        else if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(StandaloneUrl);
        }
    }
}
