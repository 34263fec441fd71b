// Parameters for main.bicep. Secrets are read from environment variables at deployment time, never stored here:
//   export WALLETPASSES_SIGNING_SECRET="$(openssl rand -base64 48)"
//   export WALLETPASSES_BACKEND_API_KEY="$(openssl rand -base64 32)"
//   export WALLETPASSES_PASS_CERTIFICATE_BASE64="$(base64 -w0 pass.p12)"
//   export WALLETPASSES_PASS_CERTIFICATE_PASSWORD='<the .p12 password>'
//   export WALLETPASSES_NEXT_PASS_CERTIFICATE_BASE64="$(base64 -w0 renewed-pass.p12)"   # only during a certificate rotation
//   export WALLETPASSES_NEXT_PASS_CERTIFICATE_PASSWORD='<the renewed .p12 password>'
//   export WALLETPASSES_WWDR_CERTIFICATE_BASE64="$(base64 -w0 AppleWWDRCAG4.cer)"
//   export WALLETPASSES_BARCODE_SIGNING_KEY_PEM="$(cat barcode-signing-key.pem)"
//   export WALLETPASSES_GOOGLE_SERVICE_ACCOUNT_KEY_JSON="$(cat service-account.json)"   # optional: Google Wallet, with googleIssuerId
//   cp function-host/infra/main.example.bicepparam function-host/infra/main.bicepparam   # then edit appName and the rest
//   az deployment group create -g <group> -f function-host/infra/main.bicep -p function-host/infra/main.bicepparam
using 'main.bicep'

param appName = 'walletpasses'
param programId = 'default'
param instanceMemoryMB = 2048
param maximumInstanceCount = 100
// Origins of web pages that call the API from a browser; the Add-to-Wallet links need none.
param corsAllowedOrigins = []

param signingSecret = readEnvironmentVariable('WALLETPASSES_SIGNING_SECRET')
param backendApiKey = readEnvironmentVariable('WALLETPASSES_BACKEND_API_KEY')
param passCertificateBase64 = readEnvironmentVariable('WALLETPASSES_PASS_CERTIFICATE_BASE64')
param passCertificatePassword = readEnvironmentVariable('WALLETPASSES_PASS_CERTIFICATE_PASSWORD')
param nextPassCertificateBase64 = readEnvironmentVariable('WALLETPASSES_NEXT_PASS_CERTIFICATE_BASE64', '')
param nextPassCertificatePassword = readEnvironmentVariable('WALLETPASSES_NEXT_PASS_CERTIFICATE_PASSWORD', '')
param wwdrCertificateBase64 = readEnvironmentVariable('WALLETPASSES_WWDR_CERTIFICATE_BASE64')
param barcodeSigningKeyPem = readEnvironmentVariable('WALLETPASSES_BARCODE_SIGNING_KEY_PEM')
// During a barcode key rotation: the next key's or the previous key's PUBLIC KEY block(s) (README, Rotating the barcode key).
param barcodeAcceptedKeysPem = ''
// Google Wallet stays off while this is empty; set it to the numeric issuer id to turn it on.
param googleIssuerId = ''
param googleServiceAccountKeyJson = readEnvironmentVariable('WALLETPASSES_GOOGLE_SERVICE_ACCOUNT_KEY_JSON', '')
