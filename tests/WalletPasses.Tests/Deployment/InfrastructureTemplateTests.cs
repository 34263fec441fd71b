using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using WalletPasses.Storage;
using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Deployment;

/// <summary>
/// function-host/infra/main.bicep compiled and linted by the Bicep CLI, then read as Azure Resource Manager
/// would deploy it (resource types and properties from the Flex Consumption how-to and the
/// Azure-Samples/azure-functions-flex-consumption-samples templates cited in main.bicep), and held to what the
/// app reads: each setting it writes is one the app reads, and the app starts in Production from them alone.
/// </summary>
public sealed class InfrastructureTemplateTests
{
    private const string KeyVaultReference = "__bicep.keyVaultReference(";

    [Fact]
    public async Task The_template_and_its_example_parameters_build_and_lint_without_a_warning()
    {
        var lint = await BicepCli.RunAsync(["lint", BicepCli.TemplatePath]);
        Assert.True(lint.ExitCode == 0 && lint.Output.Trim().Length == 0 && lint.Errors.Trim().Length == 0, lint.ToString());

        var build = await BicepCli.RunAsync(["build", BicepCli.TemplatePath, "--stdout"]);
        Assert.True(build.ExitCode == 0 && build.Errors.Trim().Length == 0, build.ToString());

        // The example reads its secrets from the environment; with them set it must build against main.bicep.
        var parameters = RepositoryPaths.Combine("function-host", "infra", "main.example.bicepparam");
        var secrets = new Dictionary<string, string>
        {
            ["WALLETPASSES_SIGNING_SECRET"] = "s",
            ["WALLETPASSES_BACKEND_API_KEY"] = "k",
            ["WALLETPASSES_PASS_CERTIFICATE_BASE64"] = "c",
            ["WALLETPASSES_PASS_CERTIFICATE_PASSWORD"] = "p",
            ["WALLETPASSES_WWDR_CERTIFICATE_BASE64"] = "w",
            ["WALLETPASSES_BARCODE_SIGNING_KEY_PEM"] = "b",
        };
        var example = await BicepCli.RunAsync(["build-params", parameters, "--stdout"], secrets);
        Assert.True(example.ExitCode == 0 && example.Errors.Trim().Length == 0, example.ToString());
        var exampleLint = await BicepCli.RunAsync(["lint", parameters], secrets);
        Assert.True(exampleLint.ExitCode == 0 && exampleLint.Output.Trim().Length == 0, exampleLint.ToString());
    }

    [Fact]
    public async Task The_function_app_runs_dotnet_isolated_10_on_flex_consumption_from_a_blob_container_reached_with_the_identity()
    {
        var template = await BicepCli.CompiledTemplateAsync();

        var plan = Resource(template, "Microsoft.Web/serverfarms");
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());
        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.True(plan.GetProperty("properties").GetProperty("reserved").GetBoolean()); // Linux

        var site = Resource(template, "Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", site.GetProperty("kind").GetString());
        Assert.Equal("UserAssigned", site.GetProperty("identity").GetProperty("type").GetString());
        var config = site.GetProperty("properties").GetProperty("functionAppConfig");
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", config.GetProperty("runtime").GetProperty("version").GetString());
        var deployment = config.GetProperty("deployment").GetProperty("storage");
        Assert.Equal("blobContainer", deployment.GetProperty("type").GetString());
        Assert.Equal("UserAssignedIdentity", deployment.GetProperty("authentication").GetProperty("type").GetString());
        Assert.Contains(Variable(template, "deploymentContainerName").GetString()!, Names(template, "containerNames"));
        Assert.True(config.GetProperty("scaleAndConcurrency").TryGetProperty("instanceMemoryMB", out _));
        Assert.True(config.GetProperty("scaleAndConcurrency").TryGetProperty("maximumInstanceCount", out _));
        Assert.True(site.GetProperty("properties").TryGetProperty("keyVaultReferenceIdentity", out _), "Key Vault references would be resolved with an identity the app does not have");
    }

    [Fact]
    public async Task Storage_is_reached_only_with_the_identity_and_its_data_plane_roles_and_secrets_only_through_Key_Vault()
    {
        var template = await BicepCli.CompiledTemplateAsync();

        var storage = Resource(template, "Microsoft.Storage/storageAccounts");
        Assert.False(storage.GetProperty("properties").GetProperty("allowSharedKeyAccess").GetBoolean());
        var roles = Variable(template, "roleIds");
        foreach (var role in new[] { "storageBlobDataOwner", "storageQueueDataContributor", "storageTableDataContributor", "keyVaultSecretsUser" })
        {
            Assert.True(roles.TryGetProperty(role, out _), $"no {role} role for the identity");
        }

        var settings = AppSettings(template);
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys); // a connection string
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Contains("clientId", settings["AzureWebJobsStorage__clientId"], StringComparison.Ordinal);
        Assert.DoesNotContain(settings.Values, value => value.Contains("AccountKey", StringComparison.OrdinalIgnoreCase) || value.Contains("listKeys", StringComparison.OrdinalIgnoreCase));
        // Flex Consumption takes the runtime from functionAppConfig and refuses these as app settings.
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Keys);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", settings.Keys);

        foreach (var secret in new[]
        {
            "WalletPasses__SigningSecret", "WalletPasses__Apple__CertificateBase64", "WalletPasses__Apple__CertificatePassword",
            "WalletPasses__Apple__WwdrCertificateBase64", "WalletPasses__Barcode__SigningKeyPem", "WalletPasses__Google__ServiceAccountKeyJson",
            "WalletPasses__Apple__NextCertificateBase64", "WalletPasses__Apple__NextCertificatePassword",
        })
        {
            Assert.Contains(KeyVaultReference, settings[secret], StringComparison.Ordinal);
        }

        Assert.All(settings.Where(setting => setting.Key.Contains("__ApiKeys__", StringComparison.Ordinal)), setting => Assert.Contains(KeyVaultReference, setting.Value, StringComparison.Ordinal));
        Assert.Contains("google-service-account-key", Variable(template, "secretNames").EnumerateObject().Select(secret => secret.Value.GetString()));
    }

    [Fact]
    public async Task Every_setting_the_template_writes_is_one_the_app_or_the_host_reads()
    {
        var settings = AppSettings(await BicepCli.CompiledTemplateAsync());

        Assert.NotEmpty(settings);
        Assert.All(settings.Keys, name => Assert.True(AppSettingNames.IsRead(name), $"the template writes {name}, which neither the app nor the Functions host reads"));
    }

    [Fact]
    public async Task The_template_creates_every_queue_the_app_uses_and_only_tables_and_containers_it_uses()
    {
        var template = await BicepCli.CompiledTemplateAsync();
        string[] Names(string variable) => InfrastructureTemplateTests.Names(template, variable);

        // The queue trigger listens on loyalty-events and poisons to loyalty-events-poison: both must exist.
        Assert.Equal(StorageNames.Queues.Order(), Names("queueNames").Order());
        // Tables and containers the app creates itself at start-up; the template may pre-create any of them.
        Assert.Subset(StorageNames.Tables.ToHashSet(), Names("tableNames").ToHashSet());
        Assert.Subset(StorageNames.Containers.Append(Variable(template, "deploymentContainerName").GetString()!).ToHashSet(), Names("containerNames").ToHashSet());
        Assert.Contains(StorageNames.TemplatesContainer, Names("containerNames"));
    }

    [Fact]
    public async Task The_app_starts_in_Production_from_the_settings_the_template_writes_alone()
    {
        var template = await BicepCli.CompiledTemplateAsync();
        await using var factory = await FactoryFromTemplateAsync(template, new Dictionary<string, string>(), new Dictionary<string, string>());
        using var client = CreateBackendClient(factory);

        var health = await client.GetAsync(new Uri("api/health", UriKind.Relative));
        Assert.True(health.StatusCode == HttpStatusCode.OK, await health.Content.ReadAsStringAsync());
        Assert.False((await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("google").GetProperty("enabled").GetBoolean(), "Google is on without googleIssuerId");

        var created = await client.PutAsJsonAsync(new Uri("api/members/template-check", UriKind.Relative), new { displayName = "Template Check", points = 10, tier = "silver" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var passUrl = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apple").GetProperty("passUrl").GetString()!;
        var pass = await client.GetAsync(new Uri(passUrl));
        Assert.Equal("application/vnd.apple.pkpass", pass.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task With_a_Google_issuer_id_the_app_reads_the_service_account_key_from_Key_Vault_and_issues_Google_objects()
    {
        var template = await BicepCli.CompiledTemplateAsync();
        await using var fake = await GoogleWalletFake.StartAsync();
        var parameters = new Dictionary<string, string> { ["googleIssuerId"] = GoogleWalletTestData.IssuerId };
        // What Key Vault hands over for the reference: the secret's text, i.e. the JSON key file's content.
        var keyVault = new Dictionary<string, string> { ["WalletPasses__Google__ServiceAccountKeyJson"] = await File.ReadAllTextAsync(fake.WriteServiceAccountKeyFile()) };
        Assert.Contains(KeyVaultReference, AppSettings(template)["WalletPasses__Google__ServiceAccountKeyJson"], StringComparison.Ordinal);
        Assert.Contains("secretNames').googleKeyJson", AppSettings(template)["WalletPasses__Google__ServiceAccountKeyJson"], StringComparison.Ordinal);
        await using var factory = await FactoryFromTemplateAsync(template, parameters, keyVault, new Dictionary<string, string?>
        {
            // Google itself is out of reach: its API and callback keys are the fake's (the key's token_uri is too).
            ["WalletPasses:Google:ApiBaseUrl"] = fake.ApiBaseUrl.AbsoluteUri,
            ["WalletPasses:Google:CallbackKeysUrl"] = fake.CallbackKeysUrl.AbsoluteUri,
        });
        using var client = CreateBackendClient(factory);

        var created = await client.PutAsJsonAsync(new Uri("api/members/template-google", UriKind.Relative), new { displayName = "Template Check", points = 10, tier = "silver" });

        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var objectId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("google").GetProperty("objectId").GetString()!;
        Assert.StartsWith(GoogleWalletTestData.IssuerId + ".", objectId, StringComparison.Ordinal);
        await Eventually.HoldsAsync(() => fake.StoredObjects.ContainsKey(objectId), "Google has the member's object");
    }

    private const string TemplateBackendKey = "template-backend-key-0123456789-0123456789";

    private static HttpClient CreateBackendClient(SettingsOnlyFactory factory)
    {
        var client = factory.CreateClient(new() { BaseAddress = new Uri(WalletPassesFactory.PublicBaseUrl) });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TemplateBackendKey);
        return client;
    }

    /// <summary>
    /// The app in Production with the settings the template writes for these parameters (the rest at their defaults),
    /// each Key Vault reference resolved to the test value Key Vault would hand over; storage is the emulator's, and
    /// <paramref name="outOfReach"/> stands in for services that cannot be reached from the tests.
    /// </summary>
    private static async Task<SettingsOnlyFactory> FactoryFromTemplateAsync(
        JsonElement template, IReadOnlyDictionary<string, string> parameters, IReadOnlyDictionary<string, string> extraKeyVault, IReadOnlyDictionary<string, string?>? outOfReach = null)
    {
        var azurite = await AzuriteServer.Shared;
        var files = TestCertificates.Files;
        // What Key Vault would hand the app for each reference: the test PKI's material in the setting's form.
        var keyVault = new Dictionary<string, string>(extraKeyVault)
        {
            ["WalletPasses__SigningSecret"] = "template-signing-secret-0123456789-0123456789",
            ["WalletPasses__Apple__CertificateBase64"] = Convert.ToBase64String(await File.ReadAllBytesAsync(files.PassCertificate)),
            ["WalletPasses__Apple__CertificatePassword"] = TestCertificates.Password,
            ["WalletPasses__Apple__WwdrCertificateBase64"] = Convert.ToBase64String(await File.ReadAllBytesAsync(files.Wwdr)),
            ["WalletPasses__Barcode__SigningKeyPem"] = await File.ReadAllTextAsync(files.BarcodeSigningKey),
        };

        var fromTemplate = new Dictionary<string, string?>();
        foreach (var (name, expression) in AppSettings(template).Where(setting => !AppSettingNames.HostSettings.Contains(setting.Key)))
        {
            var value = WhenParameterGiven(template, expression, parameters);
            fromTemplate[name.Replace("__", ":", StringComparison.Ordinal)] =
                value.Contains(KeyVaultReference, StringComparison.Ordinal) && name.Contains("__ApiKeys__", StringComparison.Ordinal) ? TemplateBackendKey
                : value.Contains(KeyVaultReference, StringComparison.Ordinal) ? keyVault.GetValueOrDefault(name) ?? throw new InvalidOperationException($"give {name} a test value")
                : name == "WalletPasses__PublicBaseUrl" ? WalletPassesFactory.PublicBaseUrl // the app's default host name, https
                : Evaluate(template, value, parameters);
        }

        // Storage is the emulator's (the identity's data-plane access cannot be exercised against Azurite), under a
        // name prefix of its own; every other setting is the template's.
        fromTemplate["AzureWebJobsStorage"] = azurite.ConnectionString;
        fromTemplate["WalletPasses:Storage:NamePrefix"] = "tpl" + Guid.NewGuid().ToString("N")[..10];
        foreach (var (name, value) in outOfReach ?? new Dictionary<string, string?>())
        {
            fromTemplate[name] = value;
        }

        // The test PKI is not Apple's: Production's Apple-root check (ProductionRefusalTests) is the one left out.
        return new SettingsOnlyFactory(fromTemplate, "Production") { RequireAppleIssuedCertificate = false };
    }

    private static JsonElement Resource(JsonElement template, string type) =>
        Resources(template).Single(resource => resource.GetProperty("type").GetString() == type);

    private static IEnumerable<JsonElement> Resources(JsonElement template)
    {
        var resources = template.GetProperty("resources");
        return resources.ValueKind == JsonValueKind.Object ? resources.EnumerateObject().Select(resource => resource.Value) : resources.EnumerateArray();
    }

    private static JsonElement Variable(JsonElement template, string name) => template.GetProperty("variables").GetProperty(name);

    /// <summary>A variable's list of names, each a literal or a reference to another variable.</summary>
    private static string[] Names(JsonElement template, string variable) =>
    [
        .. Variable(template, variable).EnumerateArray().Select(name => name.GetString()!).Select(name =>
            name.StartsWith("[variables('", StringComparison.Ordinal) ? Variable(template, name["[variables('".Length..^3]).GetString()! : name),
    ];

    /// <summary>The app settings the template writes (the site's appsettings config), name to ARM expression or literal.</summary>
    private static Dictionary<string, string> AppSettings(JsonElement template) =>
        Resource(template, "Microsoft.Web/sites/config").GetProperty("properties").EnumerateObject()
            .ToDictionary(setting => setting.Name, setting => setting.Value.GetString()!, StringComparer.Ordinal);

    /// <summary>
    /// <c>[if(empty(parameters('p')), '', X)]</c>, the template's form of "only when p is given": '' or X as ARM would
    /// decide it for these parameters; any other value as it is.
    /// </summary>
    private static string WhenParameterGiven(JsonElement template, string value, IReadOnlyDictionary<string, string> parameters)
    {
        var match = Regex.Match(value, @"^\[if\(empty\(parameters\('(?<parameter>\w+)'\)\), '', (?<then>.+)\)\]$");
        return !match.Success ? value
            : ParameterValue(template, match.Groups["parameter"].Value, parameters).Length == 0 ? ""
            : "[" + match.Groups["then"].Value + "]";
    }

    /// <summary>A literal, or a parameter reference resolved to the given value or the parameter's default.</summary>
    private static string Evaluate(JsonElement template, string value, IReadOnlyDictionary<string, string> parameters)
    {
        if (!value.StartsWith('['))
        {
            return value;
        }

        const string parameterPrefix = "[parameters('";
        Assert.True(value.StartsWith(parameterPrefix, StringComparison.Ordinal) && value.EndsWith("')]", StringComparison.Ordinal), $"no test value for the expression {value}");
        return ParameterValue(template, value[parameterPrefix.Length..^3], parameters);
    }

    private static string ParameterValue(JsonElement template, string parameter, IReadOnlyDictionary<string, string> parameters) =>
        parameters.GetValueOrDefault(parameter) ?? template.GetProperty("parameters").GetProperty(parameter).GetProperty("defaultValue").ToString();
}
