using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using WalletPasses.Hosting;

namespace WalletPasses.Functions;

/// <summary>The Azure Functions app: the isolated worker with the ASP.NET Core integration.</summary>
public static class FunctionsProgram
{
    public static void Main(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        FunctionsComposition.CheckSettings(builder.Configuration);
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddWalletPassesFunctions(builder.Configuration);
        var host = builder.Build();
        host.Services.StartStorageSetUpEarly();
        host.Run();
    }
}
