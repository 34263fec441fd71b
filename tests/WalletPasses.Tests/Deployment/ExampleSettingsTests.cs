namespace WalletPasses.Tests.Deployment;

/// <summary>
/// local.settings.example.json is the list of settings README ("Configuration": "lists every setting with a development
/// value") and docs/contract.md ("documents every setting") promise: every setting an options class binds is in it, so a
/// setting added to the code without a line there fails here.
/// </summary>
public sealed class ExampleSettingsTests
{
    /// <summary>
    /// Dictionary sections the example leaves empty on purpose, each with its reason: any entry there would change what the
    /// development settings do.
    /// </summary>
    private static readonly Dictionary<string, string> LeftEmpty = new(StringComparer.Ordinal)
    {
        ["WalletPasses__ApiKeys__BackendPrograms__"] = "an entry limits the development backend key to some programs (or, naming no key, stops the start)",
    };

    [Fact]
    public void Every_setting_an_options_class_binds_is_in_the_example_with_a_value_or_an_entry()
    {
        var example = AppSettingNames.Example().Keys.ToList();
        var names = AppSettingNames.OptionsNames().Distinct().ToList();
        Assert.Contains("WalletPasses__Apple__PassKit__MaxDevicesPerPass", names);

        var missing = names
            .Where(name => name.EndsWith("__", StringComparison.Ordinal)
                ? !LeftEmpty.ContainsKey(name) && !example.Any(key => key.StartsWith(name, StringComparison.Ordinal))
                : !example.Contains(name))
            .ToList();
        Assert.True(missing.Count == 0, "local.settings.example.json lacks: " + string.Join(", ", missing));
        Assert.All(LeftEmpty.Keys, prefix => Assert.Contains(prefix, names)); // no stale exception
    }
}
