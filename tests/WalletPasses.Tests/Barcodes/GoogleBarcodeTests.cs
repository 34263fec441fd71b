using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Barcodes;

public sealed class GoogleBarcodeTests(GoogleAppFixture app) : IClassFixture<GoogleAppFixture>
{
    // Google's discovery document, schema Barcode: alternateText is "an optional text that will override the
    // default text that shows under the barcode ... a human readable equivalent of the barcode value, used when
    // the barcode cannot be scanned". Without it Google prints the 120-character token itself.
    [Fact]
    public async Task The_google_object_shows_the_same_short_code_as_the_apple_pass_and_staff_can_type_it()
    {
        var document = await app.CreateMemberAsync(TestMembers.NewId());
        var stored = app.StoredObject(document.GetProperty("google").GetProperty("objectId").GetString()!)!;
        var appleBarcode = new PkPass(await app.CreateCustomerClient().GetByteArrayAsync(document.GetProperty("apple").GetProperty("passUrl").GetString()))
            .PassJson.GetProperty("barcodes")[0];

        var alternateText = stored["barcode"]!["alternateText"]!.GetValue<string>();

        Assert.Equal(appleBarcode.GetProperty("altText").GetString(), alternateText);
        Assert.InRange(alternateText.Length, 1, 11);
        Assert.Equal(appleBarcode.GetProperty("message").GetString(), stored["barcode"]!["value"]!.GetValue<string>());
        Assert.True((await StaffTesting.ValidateOkAsync(app.Factory.CreateStaffClient(), alternateText)).GetProperty("valid").GetBoolean());
    }
}
