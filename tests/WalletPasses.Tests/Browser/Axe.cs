using System.Text.Json;
using Microsoft.Playwright;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Browser;

/// <summary>
/// Runs axe-core (npm devDependency, node_modules/axe-core) over a page as it is now: the rules of WCAG 2.0, 2.1 and
/// 2.2 A/AA and axe's best practices, keeping the violations axe rates serious or critical (what blocks or badly
/// hinders a screen reader, keyboard or low-vision user: unnamed buttons, unlabelled fields, low contrast, zoom off).
/// </summary>
internal static class Axe
{
    private static readonly Lazy<string> Script = new(() =>
    {
        var path = RepositoryPaths.Combine("node_modules", "axe-core", "axe.min.js");
        return File.Exists(path) ? File.ReadAllText(path) : throw new InvalidOperationException($"{path} is missing: run 'npm ci' at the repository root.");
    });

    /// <returns>One line per serious or critical violation: rule, impact, help and the elements it found.</returns>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        // Evaluated, not added as a script tag: the pages' Content-Security-Policy allows only the app's own scripts.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(Script.Value + "\n;undefined");
        }

        var result = await page.EvaluateAsync<JsonElement>(
            """
            async () => (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }))
              .violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\s+/g, ' ')).join(' | ')}`)
            """);
        return [.. result.EnumerateArray().Select(line => line.GetString()!)];
    }
}
