using System.Globalization;
using System.Text.Json.Nodes;

namespace WalletPasses.Tests.Google;

/// <summary>A value-added module as the holder sees it: header and body as Google displays them.</summary>
public sealed record ShownModule(string Header, string? Body, string Uri);

/// <summary>A message as the holder sees it on the pass's details.</summary>
public sealed record ShownMessage(string? Id, string? Header, string? Body);

/// <summary>
/// What the holder of a stored object sees of its messages and value-added modules, by the display rules Google
/// documents (walletobjects v1 discovery document, TestData/walletobjects.v1.discovery.json). These are not refusals:
/// Google stores and returns what it was sent, and these rules apply on the holder's screen.
/// </summary>
/// <remarks>
/// Message.displayInterval: "A message is displayed immediately after a Wallet Object is inserted unless a `startTime` is
/// set. The message will appear in a list of messages indefinitely if `endTime` is not provided." Google documents no
/// length limit for a message's header or body.
/// ValueAddedModuleData.header: "Character limit is 60 and longer strings will be truncated"; .body: "Character limit is
/// 50 and longer strings will be truncated"; .viewConstraints: "Constraints that all must be met for the module to be
/// shown" (ModuleViewConstraints.displayInterval as above); .sortIndex: "Modules with a lower sort index are shown before
/// modules with a higher sort index. If unspecified, the sort index is assumed to be INT_MAX".
/// LoyaltyClass.valueAddedModuleData: "For a pass only ten will be displayed, prioritizing those from the object."
/// </remarks>
public sealed partial class GoogleWalletFake
{
    private const int ShownModuleHeaderLength = 60;
    private const int ShownModuleBodyLength = 50;

    /// <summary>The object's messages its holder sees now (<see cref="Clock"/>), in the stored order.</summary>
    public IReadOnlyList<ShownMessage> ShownMessages(string objectId)
    {
        var stored = StoredObjects[objectId];
        var now = Clock.GetUtcNow();
        return [.. (stored["messages"]?.AsArray() ?? []).OfType<JsonObject>()
            .Where(message => IsWithin(message["displayInterval"], now))
            .Select(message => new ShownMessage(Text(message["id"]), Text(message["header"]), Text(message["body"])))];
    }

    /// <summary>The value-added modules the holder of the object sees now (<see cref="Clock"/>), in display order, cut as Google cuts them.</summary>
    public IReadOnlyList<ShownModule> ShownModules(string objectId)
    {
        var stored = StoredObjects[objectId];
        var ofClass = stored["classId"] is { } classId && StoredClasses.TryGetValue(classId.GetValue<string>(), out var loyaltyClass)
            ? loyaltyClass["valueAddedModuleData"]?.AsArray() ?? []
            : [];
        var now = Clock.GetUtcNow();
        return [.. (stored["valueAddedModuleData"]?.AsArray() ?? []).Concat(ofClass).OfType<JsonObject>()
            .Where(module => IsWithin(module["viewConstraints"]?["displayInterval"], now))
            .Take(MaxValueAddedModules)
            .OrderBy(module => module["sortIndex"]?.GetValue<int>() ?? int.MaxValue)
            .Select(module => new ShownModule(
                Cut(Text(module["header"]?["defaultValue"]?["value"]) ?? "", ShownModuleHeaderLength),
                Text(module["body"]?["defaultValue"]?["value"]) is { } body ? Cut(body, ShownModuleBodyLength) : null,
                Text(module["uri"]) ?? ""))];
    }

    private static bool IsWithin(JsonNode? interval, DateTimeOffset now) =>
        (Instant(interval?["start"]) is not { } start || start <= now) && (Instant(interval?["end"]) is not { } end || now < end);

    private static DateTimeOffset? Instant(JsonNode? dateTime) =>
        Text(dateTime?["date"]) is { } date ? DateTimeOffset.Parse(date, CultureInfo.InvariantCulture) : null;

    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    /// <summary>Google documents that it truncates, not where or with what mark: a plain cut is the least it can do.</summary>
    private static string Cut(string text, int limit) => text.Length <= limit ? text : text[..limit];
}
