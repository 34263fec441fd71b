namespace WalletPasses.Tests.Infrastructure;

public static class RepositoryPaths
{
    /// <summary>The repository root: the folder holding WalletPasses.sln above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "WalletPasses.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("WalletPasses.sln not found above " + AppContext.BaseDirectory);
    }
}
