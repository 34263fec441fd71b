namespace WalletPasses.Barcodes;

/// <summary>What a pass's barcode shows: the signed token in the QR code and the short code printed under it.</summary>
public sealed record PassBarcode(string Token, string AltText);
