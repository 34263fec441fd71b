using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Barcodes;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Barcodes;

/// <summary>
/// Rotating the barcode signing key: the new key is published before it signs, the old one keeps verifying the
/// barcodes it signed (on the server and on offline staff devices, which verify against <c>/api/barcode-keys</c>),
/// and removing it from <c>AcceptedKeysPem</c> retires it.
/// </summary>
public sealed class BarcodeKeyRotationTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Serial = "0123456789abcdef0123456789abcdef";

    private static string KeyIdOf(string token) => Convert.ToHexStringLower(System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(4, token.LastIndexOf('.') - 4))[..4]);

    [Fact]
    public void A_token_of_the_old_key_verifies_beside_the_new_one_until_the_old_key_is_retired()
    {
        using var oldKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var before = new BarcodeTokens(ECDsa.Create(oldKey.ExportParameters(true)));
        var oldToken = before.Issue(Serial, "default", DateTimeOffset.UtcNow);

        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rotated = new BarcodeTokens(ECDsa.Create(newKey.ExportParameters(true)), [ECDsa.Create(oldKey.ExportParameters(false))]);
        var newToken = rotated.Issue(Serial, "default", DateTimeOffset.UtcNow);
        using var retired = new BarcodeTokens(ECDsa.Create(newKey.ExportParameters(true)));

        Assert.Equal(before.KeyId, rotated.Verify(oldToken).KeyId);
        Assert.Equal(rotated.KeyId, KeyIdOf(newToken)); // new tokens name the new key
        Assert.Equal([rotated.KeyId, before.KeyId], rotated.Keys.Select(key => key.KeyId));
        Assert.Equal([true, false], rotated.Keys.Select(key => key.Signing));
        Assert.Equal("unknown-key", retired.Verify(oldToken).FailureReason);
        Assert.True(retired.Verify(newToken).IsValid);
    }

    [Fact]
    public void Accepted_keys_are_read_from_public_key_and_private_key_blocks_and_anything_else_is_refused()
    {
        using var first = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var second = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var (keys, error) = AcceptedBarcodeKeys.Read(new BarcodeOptions { AcceptedKeysPem = first.ExportSubjectPublicKeyInfoPem() + "\n" + second.ExportPkcs8PrivateKeyPem() });

        Assert.Null(error);
        Assert.Equal([first.ExportSubjectPublicKeyInfo(), second.ExportSubjectPublicKeyInfo()], keys.Select(key => key.ExportSubjectPublicKeyInfo()));
        Assert.Throws<CryptographicException>(() => keys[1].ExportParameters(includePrivateParameters: true)); // only the public half is kept
        Assert.Contains("P-256", AcceptedBarcodeKeys.Read(new BarcodeOptions { AcceptedKeysPem = p384.ExportSubjectPublicKeyInfoPem() }).Error, StringComparison.Ordinal);
        Assert.Contains("no PEM block", AcceptedBarcodeKeys.Read(new BarcodeOptions { AcceptedKeysPem = "not a key" }).Error, StringComparison.Ordinal);
        Assert.Contains("no file at", new BarcodeOptionsValidator().Validate(null, new BarcodeOptions { SigningKeyFile = TestCertificates.Files.BarcodeSigningKey, AcceptedKeysFile = "/nope/keys.pem" }).FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_new_key_is_added_old_passes_still_validate_new_ones_use_it_and_after_retiring_the_old_one_its_passes_do_not()
    {
        using var backend = app.Factory.CreateBackendClient();
        var (_, oldBarcode) = await StaffTesting.EnrolAsync(app.Factory, backend);
        var oldKeyPem = await File.ReadAllTextAsync(TestCertificates.Files.BarcodeSigningKey);
        using var oldKey = ECDsa.Create();
        oldKey.ImportFromPem(oldKeyPem);
        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Step 2 of the rotation: the new key signs, the old one's public key stays accepted (same storage as the first app).
        await using var rotated = SameStorage(newKey.ExportPkcs8PrivateKeyPem(), oldKey.ExportSubjectPublicKeyInfoPem());
        using var rotatedStaff = rotated.CreateStaffClient();
        using var rotatedBackend = rotated.CreateBackendClient();
        var keys = (await rotated.CreateClient().GetFromJsonAsync<JsonElement>("/api/barcode-keys")).GetProperty("keys");
        var oldStillValid = await StaffTesting.ValidateOkAsync(rotatedStaff, oldBarcode);
        var (_, newBarcode) = await StaffTesting.EnrolAsync(rotated, rotatedBackend);
        var rotatedKeyId = KeyIdOf(newBarcode);

        // Step 3: the old key is retired.
        await using var retired = SameStorage(newKey.ExportPkcs8PrivateKeyPem(), acceptedKeysPem: null);
        using var retiredStaff = retired.CreateStaffClient();
        var oldAfterRetirement = await StaffTesting.ValidateOkAsync(retiredStaff, oldBarcode);
        var newAfterRetirement = await StaffTesting.ValidateOkAsync(retiredStaff, newBarcode);

        Assert.Equal([rotatedKeyId, KeyIdOf(oldBarcode)], keys.EnumerateArray().Select(key => key.GetProperty("kid").GetString()));
        Assert.True(keys[0].GetProperty("signing").GetBoolean());
        Assert.True(oldStillValid.GetProperty("valid").GetBoolean());
        Assert.Equal(1300, oldStillValid.GetProperty("member").GetProperty("points").GetInt64()); // the old pass's member
        Assert.NotEqual(KeyIdOf(oldBarcode), rotatedKeyId);
        Assert.False(oldAfterRetirement.GetProperty("valid").GetBoolean());
        Assert.Equal("unknown-key", oldAfterRetirement.GetProperty("reason").GetString());
        Assert.True(newAfterRetirement.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_pass_changed_after_the_rotation_moves_to_the_new_key_whatever_its_barcode_age()
    {
        using var backend = app.Factory.CreateBackendClient();
        var (memberId, oldBarcode) = await StaffTesting.EnrolAsync(app.Factory, backend);
        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var oldKey = ECDsa.Create();
        oldKey.ImportFromPem(await File.ReadAllTextAsync(TestCertificates.Files.BarcodeSigningKey));
        await using var rotated = SameStorage(newKey.ExportPkcs8PrivateKeyPem(), oldKey.ExportSubjectPublicKeyInfoPem());
        using var rotatedBackend = rotated.CreateBackendClient();

        var changed = await rotatedBackend.PutAsync($"/api/members/{memberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 1400, "tier": "gold"}"""));
        changed.EnsureSuccessStatusCode();
        var barcode = await StaffTesting.BarcodeOfAsync(rotated, (await TestMembers.GetAsync(rotatedBackend, memberId))!.Value);

        Assert.NotEqual(oldBarcode, barcode);
        Assert.Equal(rotated.Services.GetRequiredService<BarcodeTokens>().KeyId, KeyIdOf(barcode));
    }

    /// <summary>Another instance of the app over the fixture's storage, signing with <paramref name="signingKeyPem"/>.</summary>
    private WalletPassesFactory SameStorage(string signingKeyPem, string? acceptedKeysPem) =>
        new(app.Azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["WalletPasses:Storage:NamePrefix"] = app.Factory.StoragePrefix,
            ["WalletPasses:Events:PollQueue"] = "false",
            ["WalletPasses:Barcode:SigningKeyFile"] = null,
            ["WalletPasses:Barcode:SigningKeyPem"] = signingKeyPem,
            ["WalletPasses:Barcode:AcceptedKeysPem"] = acceptedKeysPem,
        });
}
