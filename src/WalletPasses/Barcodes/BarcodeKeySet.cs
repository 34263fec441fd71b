namespace WalletPasses.Barcodes;

public sealed record BarcodeKeySet(IReadOnlyList<BarcodeKey> Keys);
