using WalletPasses.Barcodes;

namespace WalletPasses.Members;

/// <summary>A new pass's identity: its serial number, the authenticationToken devices present, and its barcode.</summary>
public sealed record IssuedPass(string SerialNumber, string AuthenticationToken, PassBarcode Barcode);
