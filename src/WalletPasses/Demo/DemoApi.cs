using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using WalletPasses.Apple;
using WalletPasses.Backend;
using WalletPasses.Delivery;
using WalletPasses.Events;
using WalletPasses.Google;
using WalletPasses.Http;
using WalletPasses.Members;
using WalletPasses.Programs;
using WalletPasses.Storage;
using WalletPasses.Templates;

namespace WalletPasses.Demo;

/// <summary>
/// <c>GET /api/demo</c>: a page for local runs that creates demo members, sends them loyalty events and
/// previews their pass live. Mapped only in the Development environment (404 elsewhere) and answering
/// only loopback clients: it acts with the backend's powers through the app's own services, so no
/// backend key ever reaches the browser, and nobody else on the network can use it. It only touches
/// members whose id starts with <c>demo-</c>.
/// </summary>
public static class DemoApi
{
    public const string MemberIdPrefix = "demo-";
    private static readonly string[] DemoNames = ["Jane Doe", "Max Mustermann", "Aiko Tanaka", "Lucía García", "Sam O'Brien"];
    private static readonly HashSet<string> LoopbackHosts = new(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1", "[::1]" };
    private static long _lastSequence;

    public static RouteGroupBuilder MapDemoApi(this IEndpointRouteBuilder app)
    {
        var demo = app.MapGroup("demo").AllowAnonymous().AddEndpointFilter(async (context, next) =>
            Refusal(context.HttpContext.Request, context.HttpContext.Connection.RemoteIpAddress) ?? await next(context));
        demo.MapWebAsset("", "demo/index.html");
        demo.MapWebAsset("/demo.js", "demo/demo.js");
        demo.MapWebAsset("/demo.css", "demo/demo.css");
        demo.MapWebAsset("/delivery.js", "demo/delivery.js");
        demo.MapWebAsset("/qrcode.js", "vendor/qrcode.js");
        demo.MapPost("/members", CreateMember);
        demo.MapGet("/members/{memberId}/pass", GetPass);
        demo.MapPost("/members/{memberId}/events", SendEvent);
        demo.MapGet("/members/{memberId}/delivery", GetDelivery);
        demo.MapGet("/images/{name}", GetImage);
        return demo;
    }

    public static async Task<Created<MemberDocument>> CreateMember(
        ITemplateSource templates, MemberStore members, PassLinks links, PassChanges passChanges, GoogleWalletFeature google, CancellationToken cancellationToken)
    {
        var template = (await templates.GetCurrentAsync(cancellationToken)).Template;
        var memberId = MemberIdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var profile = new MemberProfile(DemoNames[RandomNumberGenerator.GetInt32(DemoNames.Length)], 1000, template.Tiers[0].Id, null, null);
        var (member, _) = await members.UpsertAsync(memberId, profile, cancellationToken);
        await passChanges.FinishPendingAsync(member.MemberId, cancellationToken); // as the members API does: Google's save link needs the object
        return TypedResults.Created($"/api/demo/members/{memberId}/pass", MemberDocument.From(member, links, google));
    }

    public static async Task<Results<Ok<DemoPassPreview>, ProblemHttpResult>> GetPass(
        string memberId, MemberStore members, ITemplateSource templates, ApplePasses passes, PassLinks links, GoogleWalletFeature google, HttpResponse response, CancellationToken cancellationToken)
    {
        var member = await FindAsync(memberId, members, cancellationToken);
        var template = (await templates.GetCurrentAsync(cancellationToken)).Template;
        if (member is null || template.FindTier(member.Profile.Tier) is not { } tier)
        {
            return UnknownMember();
        }

        // The very pass.json the Apple pass is built from, so the preview cannot drift from the pass.
        var passJson = JsonNode.Parse(PassJsonBuilder.Build(template, tier, passes.ContentOf(member)))!;
        passJson.AsObject().Remove("authenticationToken");
        response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new DemoPassPreview(
            MemberDocument.From(member, links, google),
            passJson,
            AppleTemplateAssets.PassStringEntries(template, member.Profile.Language ?? template.DefaultLanguage),
            new DemoImages(
                $"/api/demo/images/{template.Images.Logo}@2x.png",
                $"/api/demo/images/{tier.Strip}@2x.png",
                template.Poster is { } poster ? $"/api/demo/images/{poster.Artwork}@2x.png" : null,
                template.Poster is { } logo ? $"/api/demo/images/{logo.PrimaryLogo}@2x.png" : null),
            member.Pass.Version));
    }

    /// <summary>
    /// The member's delivery report, as the backend reads it from <c>GET /api/members/{memberId}/delivery</c>: the page
    /// polls it to show each device's state and the timeline live. Same guard as the rest of the demo (loopback client
    /// and host, demo members only), so the page needs no backend key.
    /// </summary>
    public static async Task<Results<Ok<DeliveryReport>, ValidationProblem, ProblemHttpResult>> GetDelivery(
        string memberId, MemberStore members, ProgramRegistry registry, Announcements announcements, DeviceRegistrations registrations, StorageClients storage, HttpResponse response, CancellationToken cancellationToken)
    {
        if (await FindAsync(memberId, members, cancellationToken) is null)
        {
            return UnknownMember();
        }

        response.Headers.CacheControl = "no-store";
        return await DeliveryApi.GetDelivery(memberId, ProgramScope.Default(registry), members, announcements, registrations, storage, cancellationToken);
    }

    /// <summary>Queues a loyalty event as the backend would; the pass changes when it is processed.</summary>
    public static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> SendEvent(
        string memberId, HttpRequest request, MemberStore members, ITemplateSource templates, LoyaltyEventMessages queue, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<DemoEventInput>(request, JsonBody.DefaultLimitBytes, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem.Result;
        }

        var member = await FindAsync(memberId, members, cancellationToken);
        if (member is null)
        {
            return UnknownMember();
        }

        var template = (await templates.GetCurrentAsync(cancellationToken)).Template;
        var now = time.GetUtcNow();
        var blank = new LoyaltyEventInput("demo-" + Guid.NewGuid().ToString("N"), memberId, NextSequence(now), now, null, null, null, null, null, null, null, null);
        var offerNumber = member.Offers.Count + 1;
        LoyaltyEventInput? loyaltyEvent = body.Value!.Type switch
        {
            "points" => blank with { Type = LoyaltyEventTypes.PointsChanged, Points = Math.Max(0, member.Profile.Points + (body.Value.Amount ?? 100)), Delta = body.Value.Amount ?? 100 },
            "tier" => blank with { Type = LoyaltyEventTypes.TierChanged, Tier = NextTier(template, member.Profile.Tier) },
            "offer" => blank with { Type = LoyaltyEventTypes.OfferPublished, Offer = new OfferInput($"demo-offer-{now.ToUnixTimeMilliseconds()}", $"Demo offer {offerNumber}", "Double points on everything this weekend.", now.AddDays(7)) },
            "withdraw" when member.Offers.Count > 0 => blank with { Type = LoyaltyEventTypes.OfferWithdrawn, Offer = new OfferInput(member.Offers[^1].Id, null, null, null) },
            _ => null,
        };
        if (loyaltyEvent is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["type"] = ["type must be points, tier, offer or withdraw (with an offer on the pass)."] });
        }

        await queue.EnqueueAsync([loyaltyEvent], cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetImage(string name, ITemplateSource templates, CancellationToken cancellationToken)
    {
        var images = (await templates.GetCurrentAsync(cancellationToken)).Images;
        return images.TryGetValue(name, out var png)
            ? TypedResults.File(png, "image/png")
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown image");
    }

    /// <summary>
    /// Only this computer, under its own name, in JSON: a loopback client (nobody else on the network), a
    /// loopback Host (a hostile page that rebinds its own DNS name to 127.0.0.1 still sends its name), and
    /// POSTs as application/json (a cross-origin page can only send "simple" requests without a preflight:
    /// no JSON content type).
    /// </summary>
    private static ProblemHttpResult? Refusal(HttpRequest request, IPAddress? client)
    {
        if (!IsLoopback(client) || !LoopbackHosts.Contains(request.Host.Host))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }

        // The media type itself, parsed: "text/plain; x=+json" is still a simple request.
        return HttpMethods.IsPost(request.Method)
            && !(MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && string.Equals(type.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase))
            ? TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: "The demo takes POSTs as application/json only.")
            : null;
    }

    private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private static async Task<Member?> FindAsync(string memberId, MemberStore members, CancellationToken cancellationToken) =>
        memberId.StartsWith(MemberIdPrefix, StringComparison.Ordinal) && MemberValidation.MemberIdError(memberId) is null
        && await members.GetAsync(memberId, cancellationToken) is { Deleted: false } member
            ? member
            : null;

    private static string NextTier(ProgramTemplate template, string current)
    {
        var index = template.Tiers.ToList().FindIndex(t => t.Id == current);
        return template.Tiers[(index + 1) % template.Tiers.Count].Id;
    }

    /// <summary>Events need increasing sequences per member; time in milliseconds, never repeating within this process.</summary>
    private static long NextSequence(DateTimeOffset now)
    {
        while (true)
        {
            var last = Interlocked.Read(ref _lastSequence);
            var next = Math.Max(last + 1, now.ToUnixTimeMilliseconds());
            if (Interlocked.CompareExchange(ref _lastSequence, next, last) == last)
            {
                return next;
            }
        }
    }

    private static ProblemHttpResult UnknownMember() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown demo member", detail: $"Demo members have ids starting with '{MemberIdPrefix}'.");
}
