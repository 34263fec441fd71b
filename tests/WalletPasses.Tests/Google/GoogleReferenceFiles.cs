using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Google;

/// <summary>Google's own reference data vendored in <c>Google/TestData/</c> (sources in its README).</summary>
public static class GoogleReferenceFiles
{
    public static string Path(string fileName) => RepositoryPaths.Combine("tests", "WalletPasses.Tests", "Google", "TestData", fileName);
}
