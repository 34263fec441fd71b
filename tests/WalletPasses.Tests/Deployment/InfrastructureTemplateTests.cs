using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WalletPasses.Storage;
using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Deployment;

/// <summary>
/// function-host/infra/main.bicep compiled and linted by the Bicep CLI, then read as Azure Resource Manager
/// would deploy it (resource types and properties from the Flex Consumption how-to and the
/// Azure-Samples/azure-functions-flex-consumption-samples templates cited in main.bicep), and held to what the
/// app reads: each setting it writes is one the app reads, and the app starts in Production from them alone.
/// What a deployment writes for given parameters comes from <c>bicep snapshot</c> (<see cref="BicepCli.SnapshotAsync"/>).
/// </summary>
public sealed class InfrastructureTemplateTests
{
    // learn.microsoft.com/azure/app-service/app-service-key-vault-references: "@Microsoft.KeyVault(VaultName=…;SecretName=…)",
    // without a version the secret's latest one; a reference App Service cannot resolve reaches the app as its own text.
    private const string KeyVaultReference = "@Microsoft.KeyVault(";

    /// <summary>Every optional feature on, as a deployment that uses them all would be; no secret given (a redeployment).</summary>
    private static readonly Dictionary<string, object> EverythingOn = new()
    {
        ["googleIssuerId"] = GoogleWalletTestData.IssuerId,
        ["nextPassCertificateInUse"] = true,
        ["eventsSigningSecretInUse"] = true,
        ["pointsWebhookUrl"] = "https://backend.example.com/points",
    };

    /// <summary>What the first deployment gives: every secret the app cannot start without.</summary>
    private static readonly Dictionary<string, object> FirstDeployment = new()
    {
        ["signingSecret"] = "s",
        ["backendApiKey"] = "k",
        ["passCertificateBase64"] = "c",
        ["passCertificatePassword"] = "p",
        ["wwdrCertificateBase64"] = "w",
        ["barcodeSigningKeyPem"] = "b",
    };

    [Fact]
    public async Task The_template_and_its_example_parameters_build_and_lint_without_a_warning()
    {
        var lint = await BicepCli.RunAsync(["lint", BicepCli.TemplatePath]);
        Assert.True(lint.ExitCode == 0 && lint.Output.Trim().Length == 0 && lint.Errors.Trim().Length == 0, lint.ToString());

        var build = await BicepCli.RunAsync(["build", BicepCli.TemplatePath, "--stdout"]);
        Assert.True(build.ExitCode == 0 && build.Errors.Trim().Length == 0, build.ToString());

        // The example reads its secrets from the environment, each optional: a redeployment sets none of them.
        var parameters = RepositoryPaths.Combine("function-host", "infra", "main.example.bicepparam");
        var example = await BicepCli.RunAsync(["build-params", parameters, "--stdout"]);
        Assert.True(example.ExitCode == 0 && example.Errors.Trim().Length == 0, example.ToString());
        var exampleLint = await BicepCli.RunAsync(["lint", parameters]);
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
    public async Task The_HTTP_functions_scale_to_zero_unless_the_operator_keeps_instances_always_ready()
    {
        // Flex Consumption plan hosting, "Always ready instances" and "Per-function scaling", and the Flex Consumption
        // how-to, "Set always ready instance counts" (learn.microsoft.com/azure/azure-functions): the default is 0, and
        // all HTTP functions form the group named "http", which takes an instance count of its own.
        static JsonElement ScaleOf(JsonElement[] snapshot) =>
            snapshot.Single(resource => resource.GetProperty("type").GetString() == "Microsoft.Web/sites")
                .GetProperty("properties").GetProperty("functionAppConfig").GetProperty("scaleAndConcurrency");

        var byDefault = ScaleOf(await BicepCli.SnapshotAsync(new Dictionary<string, object>()));
        Assert.Empty(byDefault.GetProperty("alwaysReady").EnumerateArray());

        var alwaysReady = ScaleOf(await BicepCli.SnapshotAsync(new Dictionary<string, object> { ["alwaysReadyHttpInstances"] = 1 })).GetProperty("alwaysReady");
        var group = Assert.Single(alwaysReady.EnumerateArray());
        Assert.Equal("http", group.GetProperty("name").GetString());
        Assert.Equal(1, group.GetProperty("instanceCount").GetInt32());

        // Always-ready instances are instances of the app, so they count within maximumInstanceCount (the same pages,
        // "Always ready instances"): a larger count is a mistake the template names before anything is deployed.
        var tooMany = await Assert.ThrowsAsync<InvalidOperationException>(() => BicepCli.SnapshotAsync(new Dictionary<string, object> { ["alwaysReadyHttpInstances"] = 41, ["maximumInstanceCount"] = 40 }));
        Assert.Contains("alwaysReadyHttpInstances (41) must be at most maximumInstanceCount (40)", tooMany.Message);
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

        var settings = AppSettings(await BicepCli.SnapshotAsync(EverythingOn));
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
            "WalletPasses__Events__SigningSecret", "WalletPasses__Staff__PointsWebhookSecret",
        })
        {
            Assert.StartsWith(KeyVaultReference, settings[secret], StringComparison.Ordinal);
        }

        Assert.All(settings.Where(setting => setting.Key.Contains("__ApiKeys__", StringComparison.Ordinal)), setting => Assert.StartsWith(KeyVaultReference, setting.Value, StringComparison.Ordinal));
        Assert.Contains("google-service-account-key", Variable(template, "secretNames").EnumerateObject().Select(secret => secret.Value.GetString()));
    }

    [Fact]
    public async Task Every_setting_the_template_writes_is_one_the_app_or_the_host_reads()
    {
        var settings = AppSettings(await BicepCli.SnapshotAsync(EverythingOn));

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
    public async Task The_app_starts_in_Production_from_the_settings_a_redeployment_writes_alone()
    {
        // No secret given: the app reads the ones the first deployment stored.
        await using var factory = await FactoryFromDeploymentAsync(new Dictionary<string, object>(), new Dictionary<string, string>());
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
    public async Task A_redeployment_without_secrets_writes_none_and_its_settings_still_refer_to_the_stored_ones()
    {
        var first = await BicepCli.SnapshotAsync(FirstDeployment);
        var redeployment = await BicepCli.SnapshotAsync(new Dictionary<string, object>());

        Assert.Equal(
            ["backend-api-key", "barcode-signing-key", "pass-certificate", "pass-certificate-password", "signing-secret", "wwdr-certificate"],
            WrittenSecrets(first));
        Assert.Empty(WrittenSecrets(redeployment)); // nothing overwritten: the vault keeps what the first deployment wrote
        // The same references (no version: the secret's latest), so the app keeps reading the stored values.
        Assert.Equal(AppSettings(first), AppSettings(redeployment));
    }

    [Fact]
    public async Task A_first_deployment_without_a_required_secret_stops_the_app_naming_the_setting()
    {
        // Never given, never stored: App Service hands the app the reference's own text (Troubleshoot Key Vault
        // references, learn.microsoft.com/azure/app-service/app-service-key-vault-references), which is long enough
        // to pass for a signing secret.
        var withoutSigningSecret = new Dictionary<string, string> { ["signing-secret"] = NeverStored };
        await using var factory = await FactoryFromDeploymentAsync(new Dictionary<string, object>(), withoutSigningSecret);
        using var services = Hosting.StartupValidationTests.ComposeExactly(factory.Settings);

        // The start-up validation itself (a host started through the test server races its own disposal when start-up fails).
        var failure = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(Messages(failure), message => message.Contains("WalletPasses:SigningSecret is an unresolved Key Vault reference", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_Google_issuer_id_the_app_reads_the_service_account_key_from_Key_Vault_and_issues_Google_objects()
    {
        await using var fake = await GoogleWalletFake.StartAsync();
        var parameters = new Dictionary<string, object> { ["googleIssuerId"] = GoogleWalletTestData.IssuerId };
        Assert.EndsWith("SecretName=google-service-account-key)", AppSettings(await BicepCli.SnapshotAsync(parameters))["WalletPasses__Google__ServiceAccountKeyJson"], StringComparison.Ordinal);
        // What Key Vault hands over for the reference: the secret's text, i.e. the JSON key file's content.
        var keyVault = new Dictionary<string, string> { ["google-service-account-key"] = await File.ReadAllTextAsync(fake.WriteServiceAccountKeyFile()) };
        await using var factory = await FactoryFromDeploymentAsync(parameters, keyVault, new Dictionary<string, string?>
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

    [Fact]
    public async Task Once_events_signing_is_in_use_a_redeployment_without_the_secret_keeps_refusing_unsigned_events()
    {
        var parameters = new Dictionary<string, object> { ["eventsSigningSecretInUse"] = true };
        Assert.DoesNotContain("WalletPasses__Events__SigningSecret", AppSettings(await BicepCli.SnapshotAsync(new Dictionary<string, object>())).Keys);
        var keyVault = new Dictionary<string, string> { ["events-signing-secret"] = "template-events-secret-0123456789-0123456789" };
        await using var factory = await FactoryFromDeploymentAsync(parameters, keyVault);
        using var client = CreateBackendClient(factory);

        var unsigned = await client.PostAsJsonAsync(new Uri("api/loyalty-events", UriKind.Relative), new { memberId = "template-events", type = "points.earned", points = 5 });

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
    }

    [Fact]
    public async Task The_points_webhook_secret_is_read_from_Key_Vault_while_a_webhook_url_is_given()
    {
        var withWebhook = AppSettings(await BicepCli.SnapshotAsync(new Dictionary<string, object> { ["pointsWebhookUrl"] = "https://backend.example.com/points" }));
        var without = AppSettings(await BicepCli.SnapshotAsync(new Dictionary<string, object>()));

        Assert.Equal("https://backend.example.com/points", withWebhook["WalletPasses__Staff__PointsWebhookUrl"]);
        Assert.EndsWith("SecretName=points-webhook-secret)", withWebhook["WalletPasses__Staff__PointsWebhookSecret"], StringComparison.Ordinal);
        Assert.DoesNotContain(without.Keys, name => name.StartsWith("WalletPasses__Staff__PointsWebhook", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Settings_the_operator_owns_survive_every_deployment_and_cannot_replace_the_templates_own()
    {
        var parameters = new Dictionary<string, object>
        {
            ["additionalAppSettings"] = new Dictionary<string, string> { ["WalletPasses__Retention__AppliedEvents"] = "21.00:00:00", ["WalletPasses__ProgramId"] = "elsewhere" },
        };

        var settings = AppSettings(await BicepCli.SnapshotAsync(parameters));

        Assert.Equal("21.00:00:00", settings["WalletPasses__Retention__AppliedEvents"]);
        Assert.Equal("default", settings["WalletPasses__ProgramId"]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
    }

    [Fact]
    public async Task The_operator_may_write_templates_and_the_backend_only_its_two_queues_when_their_ids_are_given()
    {
        // Built-in role ids: learn.microsoft.com/azure/role-based-access-control/built-in-roles (Storage); queue-scoped
        // data roles: learn.microsoft.com/azure/storage/queues/assign-azure-role-data-access.
        const string Operator = "11111111-2222-3333-4444-555555555555", Backend = "66666666-7777-8888-9999-000000000000";
        var withIds = await BicepCli.SnapshotAsync(new Dictionary<string, object> { ["operatorPrincipalId"] = Operator, ["backendPrincipalId"] = Backend });
        var withoutIds = await BicepCli.SnapshotAsync(new Dictionary<string, object>());

        Assert.Equal(
            [
                ($"/blobServices/default/containers/{StorageNames.TemplatesContainer}", Operator, "ba92f5b4-2d11-453d-a403-e96b0029c9fe"), // Storage Blob Data Contributor
                ($"/queueServices/default/queues/{StorageNames.LoyaltyEventsQueue}", Backend, "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a"), // Storage Queue Data Message Sender
                ($"/queueServices/default/queues/{StorageNames.PassActivityQueue}", Backend, "8a0f0c08-91a1-4084-bc3d-661d67233fed"), // Storage Queue Data Message Processor
            ],
            RolesOf(withIds, [Operator, Backend]));
        Assert.Empty(RolesOf(withoutIds, [Operator, Backend]));
    }

    private const string TemplateBackendKey = "template-backend-key-0123456789-0123456789";

    /// <summary>A secret the vault does not hold: App Service hands the app its reference's own text instead.</summary>
    private const string NeverStored = "";

    private static HttpClient CreateBackendClient(SettingsOnlyFactory factory)
    {
        var client = factory.CreateClient(new() { BaseAddress = new Uri(WalletPassesFactory.PublicBaseUrl) });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TemplateBackendKey);
        return client;
    }

    /// <summary>
    /// The app in Production with the settings a deployment with these parameters writes, each Key Vault reference
    /// resolved to what the vault would hand over (the test PKI's material by default; <paramref name="keyVault"/>'s
    /// secrets on top, <see cref="NeverStored"/> for one never stored); storage is the emulator's, and
    /// <paramref name="outOfReach"/> stands in for services that cannot be reached from the tests.
    /// </summary>
    private static async Task<SettingsOnlyFactory> FactoryFromDeploymentAsync(
        IReadOnlyDictionary<string, object> parameters, IReadOnlyDictionary<string, string> keyVault, IReadOnlyDictionary<string, string?>? outOfReach = null)
    {
        var azurite = await AzuriteServer.Shared;
        var files = TestCertificates.Files;
        var vault = new Dictionary<string, string>
        {
            ["signing-secret"] = "template-signing-secret-0123456789-0123456789",
            ["backend-api-key"] = TemplateBackendKey,
            ["pass-certificate"] = Convert.ToBase64String(await File.ReadAllBytesAsync(files.PassCertificate)),
            ["pass-certificate-password"] = TestCertificates.Password,
            ["wwdr-certificate"] = Convert.ToBase64String(await File.ReadAllBytesAsync(files.Wwdr)),
            ["barcode-signing-key"] = await File.ReadAllTextAsync(files.BarcodeSigningKey),
        };
        foreach (var (secret, value) in keyVault)
        {
            vault[secret] = value;
        }

        var fromTemplate = new Dictionary<string, string?>();
        foreach (var (name, value) in AppSettings(await BicepCli.SnapshotAsync(parameters)).Where(setting => !AppSettingNames.HostSettings.Contains(setting.Key)))
        {
            fromTemplate[name.Replace("__", ":", StringComparison.Ordinal)] =
                value.StartsWith(KeyVaultReference, StringComparison.Ordinal) ? Resolve(value, vault)
                : name == "WalletPasses__PublicBaseUrl" ? WalletPassesFactory.PublicBaseUrl // the app's default host name, https
                : !value.StartsWith('[') ? value
                : throw new InvalidOperationException($"no test value for {name}, known only once deployed: {value}");
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

    /// <summary>The secret a reference names, or the reference's own text when the vault does not hold it.</summary>
    private static string Resolve(string reference, Dictionary<string, string> vault)
    {
        var secret = Regex.Match(reference, @"SecretName=(?<name>[^;)]+)").Groups["name"].Value;
        return !vault.TryGetValue(secret, out var value) ? throw new InvalidOperationException($"give the secret {secret} a test value")
            : value == NeverStored ? reference
            : value;
    }

    private static IEnumerable<string> Messages(Exception failure) =>
        failure is AggregateException many ? many.InnerExceptions.SelectMany(Messages)
        : failure.InnerException is { } inner ? Messages(inner).Prepend(failure.Message)
        : [failure.Message];

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

    /// <summary>The app settings a deployment writes (the site's appsettings config): name to value, or to an ARM expression for a value known only once deployed.</summary>
    private static Dictionary<string, string> AppSettings(JsonElement[] snapshot) =>
        snapshot.Single(resource => resource.GetProperty("type").GetString() == "Microsoft.Web/sites/config").GetProperty("properties").EnumerateObject()
            .ToDictionary(setting => setting.Name, setting => setting.Value.GetString()!, StringComparer.Ordinal);

    /// <summary>Names of the Key Vault secrets a deployment writes, in order.</summary>
    private static string[] WrittenSecrets(JsonElement[] snapshot) =>
    [
        .. snapshot.Where(resource => resource.GetProperty("type").GetString() == "Microsoft.KeyVault/vaults/secrets")
            .Select(resource => resource.GetProperty("name").GetString()!.Split('/')[^1]).Order(StringComparer.Ordinal),
    ];

    /// <summary>The role assignments a deployment makes to these principals: the scope below the storage account, the principal, the role id.</summary>
    private static (string Scope, string Principal, string Role)[] RolesOf(JsonElement[] snapshot, string[] principals) =>
    [
        .. snapshot.Where(resource => resource.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments")
            .Select(resource => (
                Id: resource.GetProperty("id").GetString()!,
                Principal: resource.GetProperty("properties").GetProperty("principalId").GetString()!,
                Role: resource.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!.Split('/')[^1]))
            .Where(role => principals.Contains(role.Principal))
            .Select(role => (Regex.Match(role.Id, @"/storageAccounts/[^/]+(?<scope>/.+?)/providers/Microsoft\.Authorization/").Groups["scope"].Value, role.Principal, role.Role))
            .OrderBy(role => role.Item1, StringComparer.Ordinal),
    ];
}
