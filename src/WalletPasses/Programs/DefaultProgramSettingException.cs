namespace WalletPasses.Programs;

/// <summary>
/// <c>WalletPasses:ProgramId</c> does not fit the storage it runs on: the start-up stops with a message naming the
/// setting, rather than serve one program's members as another's.
/// </summary>
public sealed class DefaultProgramSettingException(string message) : Exception(message);
