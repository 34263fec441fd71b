using WalletPasses.Apple;
using WalletPasses.Backend;
using WalletPasses.Barcodes;
using WalletPasses.Conformance;
using WalletPasses.Delivery;
using WalletPasses.Events;
using WalletPasses.Google;
using WalletPasses.Health;
using WalletPasses.Members;
using WalletPasses.Popups;
using WalletPasses.Programs;
using WalletPasses.Publishing;
using WalletPasses.Staff;
using WalletPasses.Templates;

namespace WalletPasses.OpenApi;

/// <summary>
/// Per operation, what its handler does that its signature does not show (see <see cref="ApiOperation"/>).
/// Security from the keys and the problems of authentication, rate limits and JSON bodies are added from the
/// endpoints' own metadata (<see cref="OperationDescription"/>), so they are not repeated here.
/// </summary>
public static class ApiOperationCatalog
{
    private static readonly ProblemAnswer InvalidMemberId = new(400, "The member id is malformed (validation problem naming memberId).");
    private static readonly ProblemAnswer UnknownMember = new(404, "No such member (never created, or erased).");
    private static readonly ProblemAnswer UnknownPassType = new(404, "This service issues no passes of this type, or no such pass.");
    private static readonly ProblemAnswer WrongPassToken = new(401, "Missing or wrong authenticationToken for this pass.");
    private static readonly ProblemAnswer MalformedPassKitRoute = new(400, "A route value is malformed (validation problem naming it): a device library identifier is 1 to 128 letters, digits, '.', '_' or '-'; a serial number 32 lowercase hexadecimal digits.", typeof(HttpValidationProblemDetails));
    private static readonly ProblemAnswer DeviceLimited = new(429, "Too many failed or repeated calls from this client; see Retry-After.");
    private static readonly ProblemAnswer ListLimited = new(429, "Too many calls about unknown or malformed devices from this client, or from this device (WalletPasses:Apple:PassKit:UnknownDevicesPerClientPerMinute, ListCallsPerDevicePerMinute); see Retry-After.");
    private static readonly ProblemAnswer BadLink = new(403, "The link's signature is wrong.");
    private static readonly SuccessAnswer[] PassFile = [new(200, "The signed pass.", ContentType: PkPassBuilder.ContentType), new(304, "The copy the client has (If-Modified-Since) is current.")];
    private static readonly ProblemAnswer ExpiredLink = new(410, "The link expired, the pass is no longer available, or its program is retired (title \"Program ended\").");

    private static readonly ProblemAnswer UnknownProgram = new(404, "This deployment has no such program.");
    private static readonly ProblemAnswer NoDraft = new(404, "The program has no draft.");
    private static readonly ProblemAnswer RetiredProgram = new(409, "The program is retired: its members, template and pop-ups no longer change.");
    private static readonly ProblemAnswer DraftErrors = new(422, "The draft has errors (listed in errors).", typeof(DraftErrorsMembers));

    public static IReadOnlyList<ApiOperation> All { get; } =
    [
        new("GET", HealthApi.HealthRoute, "Service health for operators and probes")
        {
            Answers = [new(200, "ok, or degraded with reasons saying what to fix.", typeof(HealthReport)), new(503, "unhealthy: it cannot serve (reasons say why).", typeof(HealthReport))],
        },
        .. MemberOperations(MembersApi.MemberRoute, DeliveryApi.DeliveryRoute, ApplePassApi.RevokeTokenRoute, namedProgram: false),
        .. MemberOperations(MembersApi.ProgramMemberRoute, DeliveryApi.ProgramDeliveryRoute, ApplePassApi.ProgramRevokeTokenRoute, namedProgram: true),
        new("GET", ApplePassApi.PassRoute, "Download the member's Apple pass (.pkpass) through a signed link") { Answers = PassFile, Problems = [BadLink, ExpiredLink], CustomerPages = true },
        new("HEAD", ApplePassApi.PassRoute, "Headers of the signed pass download") { Answers = PassFile, Problems = [BadLink, ExpiredLink], CustomerPages = true },
        new("POST", PassKitApi.RegistrationRoute, "PassKit: register a device for a pass's updates")
        {
            Body = typeof(RegistrationBody), PassToken = true, Problems = [WrongPassToken, UnknownPassType, DeviceLimited, new(400, "pushToken is missing or not 64 to 200 hex digits, or a route value is malformed (validation problem naming it).", typeof(HttpValidationProblemDetails))],
        },
        new("DELETE", PassKitApi.RegistrationRoute, "PassKit: unregister a device from a pass") { PassToken = true, Problems = [WrongPassToken, UnknownPassType, DeviceLimited, MalformedPassKitRoute] },
        new("GET", PassKitApi.RegistrationsRoute, "PassKit: serial numbers of the device's passes changed since a tag (204 when none)") { Problems = [UnknownPassType, ListLimited, MalformedPassKitRoute] },
        new("GET", PassKitApi.PassRoute, "PassKit: the current pass (304 when the device's copy is current)") { Answers = PassFile, PassToken = true, Problems = [WrongPassToken, UnknownPassType, DeviceLimited, MalformedPassKitRoute] },
        new("HEAD", PassKitApi.PassRoute, "PassKit: headers of the current pass") { Answers = PassFile, PassToken = true, Problems = [WrongPassToken, UnknownPassType, DeviceLimited, MalformedPassKitRoute] },
        new("POST", PassKitApi.LogRoute, "PassKit: a device reports web service errors") { Body = typeof(DeviceLogBody), Problems = [DeviceLimited, new(400, "logs is missing (validation problem naming it).", typeof(HttpValidationProblemDetails))] },
        new("GET", TemplateImagesApi.ImageRoute, "An image of the program's template (PNG), linked from Google Wallet passes") { Answers = [new(200, "The image.", ContentType: "image/png")], Problems = [new(404, "No such image in the current template.")] },
        new("GET", TemplateDraftApi.ReportRoute, "The conformance check of the program's template draft, every tier and language: each problem with its path and fix")
        {
            Problems = [UnknownProgram, NoDraft],
        },
        new("GET", TemplateDraftApi.PreviewRoute, "A tier's pass.json from the template draft, its texts in a language and an HTML rendering (format=html: the page)")
        {
            Answers = [new(200, "The preview (with format=html, its HTML page instead).", typeof(TemplateDraftPreview))],
            Problems = [new(400, "The draft has no such tier or language, or format is not json or html (validation problem naming it)."), new(404, "No such program, or it has no draft."), new(422, "The draft is not a template, or the tier's colours are not #RRGGBB: see the report.")],
        },
        new("GET", GoogleWalletApi.SaveRoute, "Redirect to Google's \"Add to Google Wallet\" through a signed link")
        {
            Answers = [new(302, "To Google's save page (Location), a link valid until the signed link expires.")],
            Problems = [BadLink, ExpiredLink, new(503, "Google Wallet is not reachable; try again in a minute.")],
            CustomerPages = true,
        },
        new("POST", GoogleWalletApi.CallbacksRoute, "Google Wallet's signed save/delete callback")
        {
            Problems = [new(400, "Empty body."), new(401, "The callback's signature does not verify."), new(413, "Body too large."), new(503, "Google's signing keys are unavailable.")],
        },
        new("POST", LoyaltyEventsApi.EventsRoute, "Queue one loyalty event or an array of up to 100 (202 once all are queued; all or none)")
        {
            Body = typeof(LoyaltyEventInput),
            BodyArrayMaxItems = LoyaltyEventsApi.MaxEventsPerRequest,
            Problems = [new(400, "Invalid events: validation problem naming each wrong field ([i].field in an array); none were accepted."), new(401, "Request signing is on and the signature header is missing or wrong."), new(409, "Every invalid event names a retired program (errors lists them by [i].programId); none were accepted.")],
            Headers =
            [
                new(LoyaltyEventsApi.SignatureHeader, "Required when the deployment signs requests (WalletPasses:Events:SigningSecret): " +
                    "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.\" + body)>. Without it, or wrong or too old, the answer is 401."),
            ],
        },
        new("GET", BarcodeKeysApi.KeysRoute, "The public keys that verify pass barcodes offline (JWK)"),
        new("POST", ValidationsApi.ValidationsRoute, "Staff: is this scanned barcode a valid pass, and whose")
        {
            Body = typeof(ValidationInput), Problems = [new(400, "barcode missing or location malformed (validation problem).")],
        },
        new("POST", RedemptionsApi.RedemptionsRoute, "Staff: redeem a perk (200) or ask the backend to redeem points (202); idempotent per key")
        {
            Body = typeof(RedemptionInput),
            Headers = [new(RedemptionsApi.IdempotencyKeyHeader, "The redemption's idempotency key (8 to 100 letters, digits, '.', '_', ':' or '-'); or the body's idempotencyKey, and when both are given they must be equal.")],
            Answers = [new(200, "The perk was redeemed (or this is a replay of the same idempotency key).", typeof(RedemptionAnswer)), new(202, "The points redemption was requested from the backend.", typeof(RedemptionAnswer))],
            Problems =
            [
                new(400, "Invalid redemption (validation problem)."),
                new(409, "The perk was redeemed already in its period (reason already-redeemed, with redeemedAt), or the member has not enough points (reason insufficient-points, with balance, held and available).", typeof(RedemptionRefusalMembers)),
                new(410, "The pass's member was erased; nothing was redeemed (reason voided).", typeof(RedemptionRefusalMembers)),
                new(422, "Not a valid pass (reason: why, as a validation's), the perk is not of the member's tier (perk-not-in-tier), or the idempotency key was used for a different redemption (idempotency-key-reused).", typeof(RedemptionRefusalMembers)),
                new(503, "Too many concurrent points requests for this member; try again."),
            ],
        },
        new("POST", StaffKeysApi.KeysRoute, "Create a staff key (its only showing)")
        {
            Body = typeof(StaffKeyInput), Problems = [new(400, "Invalid name or programs (validation problem): a program the deployment does not have, or, from a backend key limited to programs, programs missing or not all its own."), new(409, "The name is taken (names are never reused).")],
        },
        new("GET", StaffKeysApi.KeysRoute, "List staff keys (names and dates, never the keys)"),
        new("DELETE", StaffKeysApi.KeyRoute, "Revoke a staff key") { Problems = [new(400, "Not a valid staff key name."), new(404, "No such staff key."), new(409, "The key comes from the settings; remove it there.")] },
        new("GET", TemplatePublishingApi.TemplateRoute, "The program's published template as a zip (template.json and images/)")
        {
            Answers = [new(200, "The zip.", ContentType: TemplateZip.ContentType)], Problems = [UnknownProgram],
        },
        new("PUT", TemplatePublishingApi.TemplateRoute, "Upload a template zip (template.json and images/*.png) as the program's draft (204)")
        {
            Problems =
            [
                UnknownProgram,
                new(400, "Not a zip, an unexpected or repeated entry name (only template.json and images/<name>.png), a damaged entry, or no template.json; " +
                    $"or, for a new program, an id other than 1 to {ProgramRegistry.MaxIdLength} letters, digits, '-' or '_', or one of {string.Join(", ", ProgramRegistry.ReservedIds.Order(StringComparer.Ordinal))} (the templates container's folders)."),
                new(409, "A new program id whose barcode program tag another program of the deployment carries (the detail names it): choose another id (nothing is stored); or the program is retired."),
                new(413, "The zip, its entry count or its inflated size is over the limit."),
                new(422, "template.json is not a template, or its programId is not the route's (nothing is stored)."),
            ],
        },
        new("GET", TemplatePublishingApi.ImpactRoute, "Dry run: which passes, fields, devices, alerts and Google class/object fields publishing the draft changes")
        {
            Problems = [UnknownProgram, NoDraft, DraftErrors],
        },
        new("POST", TemplatePublishingApi.PublishRoute, "Publish the draft as a new template version and start re-issuing every pass (202 with the publication)")
        {
            Answers = [new(202, "The publication (also for a draft published already); Location is its progress.", typeof(PublicationDocument))],
            Problems = [UnknownProgram, NoDraft, DraftErrors, new(409, "Another draft was published at the same moment, or the program is retired.")],
        },
        new("POST", ProgramRetirementApi.RetireRoute, "Retire the program (a brand that ends; idempotent, no way back): its members' passes stop updating and are answered as unknown ones, its events and member changes are refused")
        {
            Answers = [new(200, "The retired program and when (the first retirement's time, also when asked again).", typeof(ProgramRetirementDocument))],
            Problems =
            [
                UnknownProgram,
                new(403, "The backend key is limited to programs (WalletPasses:ApiKeys:BackendPrograms): retiring, which cannot be undone, takes a key that is not."),
                new(409, "The deployment's default program (WalletPasses:ProgramId), which is never retired."),
            ],
        },
        new("GET", TemplatePublishingApi.PublicationRoute, "Progress of a publication's re-issue") { Problems = [UnknownProgram, new(404, "No such publication.")] },
        .. PopupOperations(PopupsApi.ProgramPopupsRoute, PopupsApi.ProgramPopupRoute, namedProgram: true),
        .. PopupOperations(PopupsApi.PopupsRoute, PopupsApi.PopupRoute, namedProgram: false),
        new("GET", StaffPopupsApi.StaffPopupsRoute, "Staff: the pop-ups announced or open now in the programs the staff key works in (the staff page picks the one it is at)"),
        new("GET", StaffPageApi.MeRoute, "Staff: the name of the presented staff key"),
        new("GET", StaffPageApi.VoidedRoute, "Staff: serial numbers of voided passes, a page after a cursor") { Problems = [new(400, "after is not a cursor from a previous answer.")] },
    ];

    /// <summary>
    /// A member's routes, the same for the default program and below <c>programs/{programId}/</c>. Only a named program
    /// can be unknown, or have no template yet (the default program's is seeded at start).
    /// </summary>
    private static IEnumerable<ApiOperation> MemberOperations(string member, string delivery, string revokeToken, bool namedProgram)
    {
        var program = namedProgram ? "the program" : "the default program";
        ProblemAnswer[] programProblems = namedProgram ? [UnknownProgram] : [];
        ProblemAnswer[] existing = [InvalidMemberId, UnknownMember, .. programProblems];
        ProblemAnswer[] putProblems = namedProgram ? [UnknownProgram, new(409, "The program has no published template yet (upload and publish one first), or it is retired.")] : [];
        return
        [
            new("PUT", member, $"Create or update a member of {program} (201 created, 200 updated)")
            {
                Body = typeof(MemberInput),
                Problems = [InvalidMemberId, new(400, "Invalid profile: validation problem naming each wrong field."), .. putProblems],
            },
            new("GET", member, $"A member of {program} with the links to their passes") { Problems = existing },
            new("DELETE", member, $"Erase a member of {program} and void their passes") { Problems = existing },
            new("GET", delivery, $"How the pass versions of a member of {program} reached devices and Google") { Problems = existing },
            new("POST", revokeToken, $"Replace the authenticationToken of the Apple pass of a member of {program} (a leaked pass)") { Problems = [.. existing, .. RetiredProblems(namedProgram)] },
        ];
    }

    /// <summary>A change to a named program, which may be retired (the default program never is).</summary>
    private static ProblemAnswer[] RetiredProblems(bool namedProgram) => namedProgram ? [RetiredProgram] : [];

    /// <summary>The pop-up routes, the same for the default program and below <c>programs/{programId}/</c>; only a named program can be retired.</summary>
    private static IEnumerable<ApiOperation> PopupOperations(string collection, string item, bool namedProgram)
    {
        var program = namedProgram ? "the program" : "the default program";
        ProblemAnswer invalid = new(400, "Invalid pop-up: validation problem naming each wrong field (coordinates out of range, closesAt not after opensAt, texts too long, unknown tiers).");
        ProblemAnswer unknownPopup = new(404, "No such pop-up.");
        return
        [
            new("POST", collection, $"Add a pop-up store to {program}: eligible passes carry it while it is announced or open (201)")
            {
                Body = typeof(PopupInput), Answers = [new(201, "The pop-up with its id; Location is its URL.", typeof(PopupDocument))],
                Problems = [UnknownProgram, invalid, new(409, namedProgram ? "The program has the most pop-ups it may keep, or it is retired." : "The program has the most pop-ups it may keep.")],
            },
            new("GET", collection, $"The pop-ups of {program}, soonest opening first") { Problems = [UnknownProgram] },
            new("GET", item, "A pop-up, with its phase now (scheduled, announced, open, closed)") { Problems = [UnknownProgram, unknownPopup] },
            new("PUT", item, "Replace a pop-up (every field as in a create); passes that carry it follow") { Body = typeof(PopupInput), Problems = [UnknownProgram, unknownPopup, invalid, .. RetiredProblems(namedProgram)] },
            new("DELETE", item, "Withdraw a pop-up: every pass that carries it loses it") { Problems = [UnknownProgram, unknownPopup] },
        ];
    }

    private static readonly Dictionary<string, ApiOperation> ByKey = All.ToDictionary(operation => operation.Key, StringComparer.OrdinalIgnoreCase);

    public static ApiOperation? Find(string method, string route) => ByKey.GetValueOrDefault(method + " " + route);
}
