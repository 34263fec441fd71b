namespace WalletPasses.Templates;

public sealed class InvalidTemplateException(string message) : Exception(message);
