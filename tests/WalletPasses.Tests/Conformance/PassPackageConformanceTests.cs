using System.Text;
using System.Text.Json.Nodes;
using WalletPasses.Apple;
using WalletPasses.Conformance;
using WalletPasses.Templates;
using WalletPasses.Tests.Infrastructure;
using Xunit.Abstractions;
using static WalletPasses.Tests.Conformance.PassPackages;

namespace WalletPasses.Tests.Conformance;

/// <summary>The .pkpass rules and the authenticity checks, on a pass our app made and on passes broken the ways generators break them.</summary>
public sealed class PassPackageConformanceTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public void A_pass_the_app_made_is_clean()
    {
        var pkpass = Ours();

        var conformance = PassPackageConformance.Check(pkpass);
        var (verification, signer) = PassPackageVerification.Check(pkpass, TestRoots, Now);

        Assert.Empty(conformance.Problems.Concat(verification.Problems));
        Assert.Equal("pass.dev.walletpasses.northwind", signer!.PassTypeIdentifier);
        Assert.Equal("DEVTEAM001", signer.TeamIdentifier);
    }

    [Fact]
    public void A_pass_from_another_generator_with_its_own_order_compression_strings_and_barcode_keys_is_accepted()
    {
        var files = Files(Ours());
        files.Remove("de.lproj/pass.strings");
        // Xcode writes strings files as UTF-16 with a byte order mark and comments.
        files["en.lproj/pass.strings"] = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(
            "/* Labels */\n" + Encoding.UTF8.GetString(files["en.lproj/pass.strings"]) + "// end\n")).ToArray();
        files.WithPassJson(pass => pass["barcode"] = new JsonObject { ["format"] = "PKBarcodeFormatQR", ["message"] = "1234", ["messageEncoding"] = "iso-8859-1" });
        files.Remove("logo@3x.png"); // optional
        var pkpass = SignAndZip(files);

        var report = ConformanceReport.Of(PassPackageConformance.Check(pkpass).Problems.Concat(PassPackageVerification.Check(pkpass, TestRoots, Now).Report.Problems));

        Assert.Empty(report.Problems);
    }

    // Apple, "Building a Pass": manifest.json holds the SHA-1 of every file; a changed file no longer matches it.
    [Fact]
    public void A_file_changed_after_signing_is_a_hash_mismatch_at_that_file()
    {
        var files = Files(Ours());
        files["icon@2x.png"] = [.. files["icon@2x.png"], 0];
        var pkpass = Zip(files);

        var (report, _) = PassPackageVerification.Check(pkpass, TestRoots, Now);

        var problem = Assert.Single(report.Problems);
        Assert.Equal("icon@2x.png", problem.Path);
        Assert.Contains("SHA-1", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_manifest_no_longer_matches_the_signature()
    {
        var files = Files(Ours());
        files["icon@2x.png"] = [.. files["icon@2x.png"], 0];
        var manifest = JsonNode.Parse(files["manifest.json"])!.AsObject();
#pragma warning disable CA5350 // the manifest format is SHA-1
        manifest["icon@2x.png"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(files["icon@2x.png"]));
#pragma warning restore CA5350
        files["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());

        var (report, _) = PassPackageVerification.Check(Zip(files), TestRoots, Now);

        var problem = Assert.Single(report.Problems);
        Assert.Equal("signature", problem.Path);
        Assert.Contains("does not match manifest.json", problem.Message, StringComparison.Ordinal);
    }

    // Apple: the pass type identifier and team identifier in pass.json must be the signing certificate's UID and OU.
    [Fact]
    public void A_pass_type_id_or_team_other_than_the_signers_is_an_error()
    {
        var pkpass = SignAndZip(Files(Ours()).WithPassJson(pass =>
        {
            pass["passTypeIdentifier"] = "pass.com.example.other";
            pass["teamIdentifier"] = "OTHERTEAM1";
        }));

        var (report, _) = PassPackageVerification.Check(pkpass, TestRoots, Now);

        Assert.Equal(["pass.json:passTypeIdentifier", "pass.json:teamIdentifier"], report.Paths.Order(StringComparer.Ordinal));
    }

    // Apple, "Creating the Source for a Pass": every pass needs its icon.
    [Fact]
    public void A_pass_without_its_icon_is_an_error_at_icon_png()
    {
        var files = Files(Ours());
        foreach (var icon in new[] { "icon.png", "icon@2x.png", "icon@3x.png" })
        {
            files.Remove(icon);
        }

        var report = PassPackageConformance.Check(SignAndZip(files));

        var problem = Assert.Single(report.Problems);
        Assert.Equal("icon.png", problem.Path);
        Assert.Equal(ConformanceSeverity.Error, problem.Severity);
    }

    [Fact]
    public void A_signature_by_a_certificate_outside_the_trusted_chain_is_an_error()
    {
        var stranger = DevelopmentCertificates.Create("pass.dev.walletpasses.northwind", "DEVTEAM001");
        var pkpass = SignAndZip(Files(Ours()), stranger.Pass, stranger.Wwdr);

        var (report, _) = PassPackageVerification.Check(pkpass, TestRoots, Now);

        var problem = Assert.Single(report.Problems);
        Assert.Equal("signature", problem.Path);
        Assert.Contains("does not chain", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_without_the_wwdr_certificate_is_an_error()
    {
        var pkpass = SignAndZip(Files(Ours()), includeIssuer: false);

        var (report, _) = PassPackageVerification.Check(pkpass, TestRoots, Now);

        Assert.Contains(report.Problems, p => p.Path == "signature" && p.Message.Contains("WWDR", StringComparison.Ordinal));
    }

    // PassKit Package Format Reference: every file but manifest.json and signature is in the manifest.
    [Fact]
    public void A_file_missing_from_the_manifest_is_an_error_at_that_file()
    {
        var files = Files(Ours());
        files[".DS_Store"] = [0, 0, 0, 1];

        var report = PassPackageConformance.Check(Zip(files));

        var problem = Assert.Single(report.Problems);
        Assert.Equal(".DS_Store", problem.Path);
    }

    // Apple, "PassFields": a field's key must be unique within the entire pass.
    [Fact]
    public void A_field_key_used_twice_across_field_sets_is_an_error_at_the_second_field()
    {
        var pkpass = SignAndZip(Files(Ours()).WithPassJson(pass => pass["storeCard"]!["backFields"]![0]!["key"] = "points"));

        var report = PassPackageConformance.Check(pkpass);

        var problem = Assert.Single(report.Problems);
        Assert.Equal("pass.json:storeCard.backFields[0].key", problem.Path);
    }

    // Apple, "Pass": colours are CSS-style rgb(r, g, b) triples.
    [Theory]
    [InlineData("#1E3932")]
    [InlineData("rgb(300, 0, 0)")]
    public void A_colour_that_is_not_an_rgb_triple_is_an_error(string colour)
    {
        var report = PassPackageConformance.Check(SignAndZip(Files(Ours()).WithPassJson(pass => pass["backgroundColor"] = colour)));

        Assert.Equal(["pass.json:backgroundColor"], report.Paths);
    }

    // Apple, "Pass.Barcodes" and "Pass.Barcode": messageEncoding is required; the legacy barcode cannot be Code 128; a pass with
    // only the legacy key is for iOS 8 and earlier.
    [Fact]
    public void Barcode_rules_report_each_broken_barcode()
    {
        var pkpass = SignAndZip(Files(Ours()).WithPassJson(pass =>
        {
            pass["barcodes"]![0]!.AsObject().Remove("messageEncoding");
            pass["barcode"] = new JsonObject { ["format"] = "PKBarcodeFormatCode128", ["message"] = "1234", ["messageEncoding"] = "iso-8859-1" };
        }));
        var legacyOnly = SignAndZip(Files(Ours()).WithPassJson(pass =>
        {
            pass["barcode"] = pass["barcodes"]![0]!.DeepClone();
            pass.Remove("barcodes");
        }));

        var report = PassPackageConformance.Check(pkpass);
        var legacyReport = PassPackageConformance.Check(legacyOnly);

        Assert.Equal(["pass.json:barcode.format", "pass.json:barcodes[0].messageEncoding"], report.Paths.Order(StringComparer.Ordinal));
        var warning = Assert.Single(legacyReport.Problems);
        Assert.Equal(("pass.json:barcode", ConformanceSeverity.Warning), (warning.Path, warning.Severity));
    }

    // "Creating the Source for a Pass": each .lproj/pass.strings translates the pass.json strings; one missing shows the raw key.
    [Fact]
    public void A_string_missing_from_one_language_is_an_error_at_that_language()
    {
        var files = Files(Ours());
        var german = Encoding.UTF8.GetString(files["de.lproj/pass.strings"]).Split('\n').Where(line => !line.StartsWith("\"label.points\"", StringComparison.Ordinal));
        files["de.lproj/pass.strings"] = Encoding.UTF8.GetBytes(string.Join('\n', german));

        var report = PassPackageConformance.Check(SignAndZip(files));

        Assert.Equal(["de.lproj/pass.strings:label.points"], report.Paths);
    }

    [Fact]
    public void A_change_message_without_the_placeholder_is_an_error_at_its_translation()
    {
        var files = Files(Ours());
        files["de.lproj/pass.strings"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(files["de.lproj/pass.strings"]).Replace("Sie haben jetzt %@ Punkte", "Punkte geändert", StringComparison.Ordinal));

        var report = PassPackageConformance.Check(SignAndZip(files));

        Assert.Equal(["de.lproj/pass.strings:change.points"], report.Paths);
    }

    [Fact]
    public void A_change_message_with_a_second_placeholder_is_an_error_at_its_translation_and_an_escaped_one_is_not()
    {
        var files = Files(Ours());
        var german = Encoding.UTF8.GetString(files["de.lproj/pass.strings"]).Replace("Sie haben jetzt %@ Punkte", "Sie haben jetzt %@ Punkte (%@)", StringComparison.Ordinal);
        files["de.lproj/pass.strings"] = Encoding.UTF8.GetBytes(german.Replace("Neues Angebot: %@", "100%%@ neu: %@", StringComparison.Ordinal));

        var report = PassPackageConformance.Check(SignAndZip(files));

        Assert.Equal(["de.lproj/pass.strings:change.points"], report.Paths);
    }

    [Fact]
    public void Required_keys_and_the_pass_style_are_errors_when_missing()
    {
        // A store card alone (a poster pass without its store card is PosterConformanceTests').
        var pkpass = SignAndZip(Files(Ours(DefaultTemplate.Template() with { Poster = null })).WithPassJson(pass =>
        {
            pass.Remove("serialNumber");
            pass["formatVersion"] = 2;
            pass.Remove("storeCard");
        }));

        var report = PassPackageConformance.Check(pkpass);

        Assert.Equal(["pass.json:formatVersion", "pass.json:serialNumber", "pass.json:storeCard"], report.Paths.Order(StringComparer.Ordinal));
    }

    // Apple, "Pass" (https://developer.apple.com/documentation/walletpasses/pass): locations is "an array of up to 10
    // locations" and beacons "an array of up to 10 beacons"; "Pass.Locations": latitude and longitude are required numbers;
    // "Pass.Beacons": proximityUUID is required; maxDistance is a number of meters.
    [Fact]
    public void Relevance_beyond_Apples_limits_or_without_its_required_keys_is_an_error_where_it_is()
    {
        var pkpass = SignAndZip(Files(Ours()).WithPassJson(pass =>
        {
            pass["locations"] = new JsonArray([.. Enumerable.Range(0, 11).Select(i => (JsonNode)new JsonObject { ["latitude"] = 48.1 + (i / 100.0), ["longitude"] = 11.5 })]);
            pass["locations"]![3]!.AsObject().Remove("longitude");
            pass["locations"]![4]!["latitude"] = "48.1";
            pass["locations"]![5]!["latitude"] = 91;
            pass["beacons"] = new JsonArray([.. Enumerable.Range(0, 11).Select(_ => (JsonNode)new JsonObject { ["proximityUUID"] = "E2C56DB5-DFFB-48D2-B060-D0F5A71096E0" })]);
            pass["beacons"]![2]!.AsObject().Remove("proximityUUID");
            pass["maxDistance"] = "100m";
        }));

        var report = PassPackageConformance.Check(pkpass);

        Assert.Equal(
            ["pass.json:beacons", "pass.json:beacons[2]", "pass.json:locations", "pass.json:locations[3]", "pass.json:locations[4]", "pass.json:locations[5]", "pass.json:maxDistance"],
            report.Paths.Order(StringComparer.Ordinal));
        Assert.All(report.Problems, problem => Assert.Equal(ConformanceSeverity.Error, problem.Severity));
    }

    [Fact]
    public void Ten_locations_and_ten_beacons_are_within_Apples_limits()
    {
        var pkpass = SignAndZip(Files(Ours()).WithPassJson(pass =>
        {
            pass["locations"] = new JsonArray([.. Enumerable.Range(0, 10).Select(i => (JsonNode)new JsonObject { ["latitude"] = -90 + i, ["longitude"] = 180, ["relevantText"] = "Pop-up nearby" })]);
            pass["beacons"] = new JsonArray([.. Enumerable.Range(0, 10).Select(i => (JsonNode)new JsonObject { ["proximityUUID"] = "E2C56DB5-DFFB-48D2-B060-D0F5A71096E0", ["major"] = i })]);
            pass["maxDistance"] = 50;
        }));

        Assert.Empty(PassPackageConformance.Check(pkpass).Problems);
    }

    // "PassFieldContent": dateStyle and timeStyle take PKDateStyleNone, Short, Medium, Long or Full; numberStyle
    // PKNumberStyleDecimal, Percent, Scientific or SpellOut; textAlignment PKTextAlignmentLeft, Center, Right or Natural.
    [Fact]
    public void A_formatter_or_alignment_value_Apple_does_not_define_is_an_error_at_the_field()
    {
        var pkpass = SignAndZip(Files(Ours()).WithPassJson(pass =>
        {
            pass["storeCard"]!["primaryFields"]![0]!["numberStyle"] = "decimal";
            pass["storeCard"]!["secondaryFields"]![0]!["textAlignment"] = "PKTextAlignmentJustified";
            pass["storeCard"]!["headerFields"]![0]!["timeStyle"] = "PKTimeStyleShort";
            pass["storeCard"]!["backFields"]![0]!["dateStyle"] = "PKDateStyleMedium"; // valid
        }));

        var report = PassPackageConformance.Check(pkpass);

        Assert.Equal(
            ["pass.json:storeCard.headerFields[0].timeStyle", "pass.json:storeCard.primaryFields[0].numberStyle", "pass.json:storeCard.secondaryFields[0].textAlignment"],
            report.Paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_image_the_style_does_not_show_or_of_the_wrong_size_is_a_warning()
    {
        var files = Files(Ours());
        files["thumbnail.png"] = ConformanceTesting.PngOfSize(90, 90);
        files["strip@2x.png"] = ConformanceTesting.PngOfSize(750, 288);

        var report = PassPackageConformance.Check(SignAndZip(files));

        Assert.Equal(["strip@2x.png", "thumbnail.png"], report.Paths.Order(StringComparer.Ordinal));
        Assert.All(report.Problems, problem => Assert.Equal(ConformanceSeverity.Warning, problem.Severity));
    }

    [Fact]
    public void Bytes_that_are_not_a_zip_are_one_error()
    {
        var report = PassPackageConformance.Check(Encoding.UTF8.GetBytes("<html>not a pass</html>"));

        output.WriteLine(string.Join("\n", report.Problems));
        Assert.Equal(["pkpass"], report.Paths);
    }
}
