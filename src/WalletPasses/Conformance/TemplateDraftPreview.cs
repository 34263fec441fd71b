using System.Text.Json.Nodes;

namespace WalletPasses.Conformance;

/// <summary>The body of <c>GET …/template/draft/preview</c>: the pass.json the draft makes for a tier, its texts in a language, and an HTML rendering.</summary>
public sealed record TemplateDraftPreview(string ProgramId, string DraftVersion, string Tier, string Language, JsonNode PassJson, IReadOnlyDictionary<string, string> Strings, string Html);
