namespace WalletPasses.Demo;

public sealed record DemoImages(string Logo, string Strip);
