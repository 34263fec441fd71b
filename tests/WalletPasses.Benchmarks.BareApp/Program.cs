using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http.HttpResults;

// A bare minimal API answering the same health route as WalletPasses: what start-up costs with nothing in it.
// With --storage-probe its answer also does the one thing an honest health answer cannot skip: a round trip to
// storage (a Table Storage point read, as WalletPasses' StorageProbe does), 503 when storage does not answer.
var app = WebApplication.CreateBuilder(args).Build();
if (args.Contains("--storage-probe"))
{
    var table = new TableClient(app.Configuration["AzureWebJobsStorage"], "members");
    app.MapGet("/api/health", async Task<Results<Ok<Health>, JsonHttpResult<Health>>> () =>
    {
        try
        {
            await table.GetEntityIfExistsAsync<TableEntity>("health-probe", "health-probe", ["PartitionKey"]);
            return TypedResults.Ok(new Health("ok"));
        }
        catch (RequestFailedException)
        {
            return TypedResults.Json(new Health("unhealthy"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    });
}
else
{
    app.MapGet("/api/health", () => TypedResults.Ok(new Health("ok")));
}

app.Run();

internal sealed record Health(string Status);
