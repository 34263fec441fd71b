namespace WalletPasses.Security;

/// <summary>
/// Marks an endpoint guarded by <see cref="BackendKeyPrograms.RequireProgramOfBackendKey"/>, whose filter the OpenAPI
/// document cannot see: it declares the filter's 404 "Unknown program" from this metadata.
/// </summary>
public sealed class ProgramOfBackendKeyMetadata
{
    public static ProgramOfBackendKeyMetadata Instance { get; } = new();

    private ProgramOfBackendKeyMetadata()
    {
    }
}
