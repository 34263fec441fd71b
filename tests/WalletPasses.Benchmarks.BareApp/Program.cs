// A bare minimal API answering the same health route as WalletPasses: what start-up costs with nothing in it.
var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/api/health", () => TypedResults.Ok(new { status = "ok" }));
app.Run();
