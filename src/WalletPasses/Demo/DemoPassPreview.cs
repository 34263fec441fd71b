using System.Text.Json.Nodes;
using WalletPasses.Backend;

namespace WalletPasses.Demo;

/// <summary>
/// What the demo page shows of a member: the member document (pass links), the pass.json the pass is
/// built from (minus its authenticationToken), the texts its keys translate to, and its images.
/// </summary>
public sealed record DemoPassPreview(MemberDocument Member, JsonNode PassJson, IReadOnlyDictionary<string, string> Strings, DemoImages Images, long Version);
