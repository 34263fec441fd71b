using System.Text;
using WalletPasses.Security;

namespace WalletPasses.Tests.Security;

public sealed class RequestSignaturesTests
{
    private const string Secret = "test-secret-0123456789-0123456789-01";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"type":"points.redemption.requested"}""");

    [Fact]
    public void A_signature_verifies_for_its_body_secret_and_time()
    {
        var header = RequestSignatures.Create(Secret, Now, Body);

        Assert.Matches("^t=[0-9]+,v1=[0-9a-f]{64}$", header);
        Assert.True(RequestSignatures.Verify(header, Body, Secret, TimeSpan.FromMinutes(5), Now.AddMinutes(4)));
    }

    [Fact]
    public void A_changed_body_another_secret_or_an_old_timestamp_fails()
    {
        var header = RequestSignatures.Create(Secret, Now, Body);

        Assert.False(RequestSignatures.Verify(header, Encoding.UTF8.GetBytes("{}"), Secret, TimeSpan.FromMinutes(5), Now));
        Assert.False(RequestSignatures.Verify(header, Body, Secret + "x", TimeSpan.FromMinutes(5), Now));
        Assert.False(RequestSignatures.Verify(header, Body, Secret, TimeSpan.FromMinutes(5), Now.AddMinutes(6)));
        Assert.False(RequestSignatures.Verify(null, Body, Secret, TimeSpan.FromMinutes(5), Now));
        Assert.False(RequestSignatures.Verify("t=abc,v1=00", Body, Secret, TimeSpan.FromMinutes(5), Now));
    }
}
