using WalletPasses.Hosting;

// The standalone host: ./run.sh, the tests, and self-hosting outside Azure Functions.
var localSettings = LocalSettings.Load();
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory, // appsettings.json beside the app, whatever the working directory
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

StandaloneHosting.ConfigureUrls(builder);
builder.WebHost.ConfigureKestrel(KestrelLimits.Apply);
builder.Services.AddWalletPasses(builder.Configuration);
builder.Services.AddStandaloneBackgroundWork();

var app = builder.Build();
app.Services.StartStorageSetUpEarly();
app.UseWalletPasses();
app.MapStandaloneApis();
app.Run();
return 0;

/// <summary>Entry point; public for the integration tests' WebApplicationFactory.</summary>
public partial class Program;
