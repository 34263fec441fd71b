using System.Text.Json;
using WalletPasses.Google;

namespace WalletPasses.Tests.Google;

public sealed class DiscoverySchemaValidatorTests
{
    private static readonly DiscoverySchemaValidator Wallet = DiscoverySchemaValidator.WalletObjects;

    [Fact]
    public void A_correct_loyalty_object_has_no_errors()
    {
        var body = """
            {"id":"3388000000012345678.member-1","classId":"3388000000012345678.loyalty","state":"ACTIVE","version":"3",
             "loyaltyPoints":{"label":"Points","balance":{"int":1250}},
             "barcode":{"type":"QR_CODE","value":"abc"},
             "messages":[{"header":"Hi","body":"There","messageType":"TEXT_AND_NOTIFY"}],
             "hasUsers":true,"validTimeInterval":{"start":{"date":"2026-11-23T10:00:00Z"}}}
            """;

        Assert.Empty(Wallet.Validate("LoyaltyObject", body));
    }

    [Fact]
    public void Reports_an_unknown_property_with_its_path()
    {
        var errors = Wallet.Validate("LoyaltyObject", """{"id":"1.a","barcode":{"type":"QR_CODE","colour":"red"},"hexBackgroundColor":"#fff"}""");

        Assert.Equal(
            [new SchemaError("$.barcode.colour", "unknown property"), new SchemaError("$.hexBackgroundColor", "unknown property")],
            errors);
    }

    [Theory]
    [InlineData("""{"accountId":42}""", "$.accountId", "expected a string, got the number 42")]
    [InlineData("""{"loyaltyPoints":{"balance":{"int":"42"}}}""", "$.loyaltyPoints.balance.int", "expected an integer, got the string \"42\"")]
    [InlineData("""{"loyaltyPoints":{"balance":{"int":4.5}}}""", "$.loyaltyPoints.balance.int", "expected an integer (int32), got 4.5")]
    [InlineData("""{"loyaltyPoints":{"balance":{"int":3000000000}}}""", "$.loyaltyPoints.balance.int", "expected an integer (int32), got 3000000000")]
    [InlineData("""{"version":7}""", "$.version", "expected a string, got the number 7")]
    [InlineData("""{"version":"seven"}""", "$.version", "expected a string holding an int64 integer, got \"seven\"")]
    [InlineData("""{"loyaltyPoints":{"balance":{"double":"1.5"}}}""", "$.loyaltyPoints.balance.double", "expected a number, got the string \"1.5\"")]
    [InlineData("""{"hasUsers":"yes"}""", "$.hasUsers", "expected a boolean, got the string \"yes\"")]
    [InlineData("""{"barcode":"QR"}""", "$.barcode", "expected an object, got the string \"QR\"")]
    [InlineData("""{"messages":{"header":"x"}}""", "$.messages", "expected an array, got an object")]
    public void Reports_a_wrong_json_type(string body, string path, string message)
    {
        Assert.Equal([new SchemaError(path, message)], Wallet.Validate("LoyaltyObject", body));
    }

    [Fact]
    public void Reports_a_bad_enum_value_inside_array_items_reached_through_refs()
    {
        var errors = Wallet.Validate("LoyaltyObject", """{"messages":[{"messageType":"TEXT"},{"messageType":"LOUD"}]}""");

        var error = Assert.Single(errors);
        Assert.Equal("$.messages[1].messageType", error.Path);
        Assert.StartsWith("\"LOUD\" is not one of MESSAGE_TYPE_UNSPECIFIED, TEXT,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_deprecated_camel_case_enum_aliases()
    {
        Assert.Equal(
            [new SchemaError("$.state", "deprecated enum value \"active\"")],
            Wallet.Validate("LoyaltyObject", """{"state":"active"}"""));
    }

    [Fact]
    public void Validates_additional_properties_against_their_schema()
    {
        var validator = DiscoverySchemaValidator.FromDiscoveryJson("""
            {"schemas":{
              "Labels":{"id":"Labels","type":"object","properties":{"name":{"type":"string"}},
                        "additionalProperties":{"$ref":"Label"}},
              "Label":{"id":"Label","type":"object","properties":{"count":{"type":"integer","format":"uint32"}}}}}
            """);

        Assert.Empty(validator.Validate("Labels", """{"name":"n","red":{"count":1},"blue":{"count":2}}"""));
        Assert.Equal(
            [new SchemaError("$.red.count", "expected an integer (uint32), got -1"), new SchemaError("$.blue.size", "unknown property")],
            validator.Validate("Labels", """{"red":{"count":-1},"blue":{"size":2}}"""));
    }

    [Fact]
    public void Treats_null_as_not_set_and_reports_text_that_is_not_json()
    {
        Assert.Empty(Wallet.Validate("LoyaltyObject", """{"barcode":null}"""));
        Assert.Equal("$", Assert.Single(Wallet.Validate("LoyaltyObject", "{not json")).Path);
    }

    [Fact]
    public void Refuses_an_unknown_schema_name()
    {
        Assert.Throws<ArgumentException>(() => Wallet.Validate("LoyaltyThing", "{}"));
    }

    [Fact]
    public void The_models_serialize_to_valid_wallet_resources_with_every_field_set()
    {
        var loyaltyClass = JsonSerializer.Serialize(GoogleWalletTestData.LoyaltyClass(), GoogleWalletJson.Options);
        var loyaltyObject = JsonSerializer.Serialize(GoogleWalletTestData.LoyaltyObject() with { HasUsers = true }, GoogleWalletJson.Options);
        var addMessage = JsonSerializer.Serialize(
            new AddMessageRequest(new Message { Header = "h", Body = "b", MessageType = MessageType.TextAndNotify }), GoogleWalletJson.Options);

        Assert.Empty(Wallet.Validate("LoyaltyClass", loyaltyClass));
        Assert.Empty(Wallet.Validate("LoyaltyObject", loyaltyObject));
        Assert.Empty(Wallet.Validate("AddMessageRequest", addMessage));
        Assert.Contains("\"balance\":{\"int\":1250}", loyaltyObject, StringComparison.Ordinal);
        Assert.Contains("\"reviewStatus\":\"UNDER_REVIEW\"", loyaltyClass, StringComparison.Ordinal);
        Assert.DoesNotContain("null", loyaltyObject, StringComparison.Ordinal);
    }

    public static TheoryData<Type, string, string> EnumsAndTheirSchemaProperties() => new()
    {
        { typeof(ReviewStatus), "LoyaltyClass", "reviewStatus" },
        { typeof(MultipleDevicesAndHoldersAllowedStatus), "LoyaltyClass", "multipleDevicesAndHoldersAllowedStatus" },
        { typeof(LoyaltyObjectState), "LoyaltyObject", "state" },
        { typeof(NotifyPreference), "LoyaltyObject", "notifyPreference" },
        { typeof(BarcodeType), "Barcode", "type" },
        { typeof(MessageType), "Message", "messageType" },
    };

    [Theory]
    [MemberData(nameof(EnumsAndTheirSchemaProperties))]
    public void Each_enum_serializes_to_exactly_the_current_discovery_values_and_round_trips(Type enumType, string schema, string property)
    {
        using var discovery = JsonDocument.Parse(File.ReadAllText(GoogleReferenceFiles.Path("walletobjects.v1.discovery.json")));
        var propertySchema = discovery.RootElement.GetProperty("schemas").GetProperty(schema).GetProperty("properties").GetProperty(property);
        var values = propertySchema.GetProperty("enum").EnumerateArray().Select(value => value.GetString()).ToList();
        var deprecated = propertySchema.TryGetProperty("enumDeprecated", out var flags)
            ? flags.EnumerateArray().Select(flag => flag.GetBoolean()).ToList()
            : values.Select(_ => false).ToList();
        var current = values.Where((_, index) => !deprecated[index]);

        var serialized = Enum.GetValues(enumType).Cast<object>()
            .Select(value => (Value: value, Json: JsonSerializer.Serialize(value, enumType, GoogleWalletJson.Options)))
            .ToList();

        Assert.Equal(current.Order(), serialized.Select(value => JsonSerializer.Deserialize<string>(value.Json)).Order());
        Assert.All(serialized, value => Assert.Equal(value.Value, JsonSerializer.Deserialize(value.Json, enumType, GoogleWalletJson.Options)));
    }
}
