// Parameters for main.bicep. Secrets are read from environment variables at deployment time, never stored here.
// The FIRST deployment sets every required one; keep the values you generated (e.g. in your own password manager):
// the Key Vault is RBAC-only and the deployer cannot read them back. A LATER deployment may leave any of them unset:
// an empty secret is not written, so Key Vault keeps the stored one (a redeployment never rotates a secret by accident).
//   export WALLETPASSES_SIGNING_SECRET="$(openssl rand -base64 48)"
//   export WALLETPASSES_BACKEND_API_KEY="$(openssl rand -base64 32)"   # the loyalty backend's key (smoke.sh's <backend key>)
//   export WALLETPASSES_PASS_CERTIFICATE_BASE64="$(openssl base64 -A -in pass.p12)"
//   export WALLETPASSES_PASS_CERTIFICATE_PASSWORD='<the .p12 password>'
//   export WALLETPASSES_NEXT_PASS_CERTIFICATE_BASE64="$(openssl base64 -A -in renewed-pass.p12)"   # certificate rotation, with nextPassCertificateInUse
//   export WALLETPASSES_NEXT_PASS_CERTIFICATE_PASSWORD='<the renewed .p12 password>'
//   export WALLETPASSES_WWDR_CERTIFICATE_BASE64="$(openssl base64 -A -in AppleWWDRCAG4.cer)"
//   export WALLETPASSES_BARCODE_SIGNING_KEY_PEM="$(cat barcode-signing-key.pem)"
//   export WALLETPASSES_GOOGLE_SERVICE_ACCOUNT_KEY_JSON="$(cat service-account.json)"   # optional: Google Wallet, with googleIssuerId
//   export WALLETPASSES_EVENTS_SIGNING_SECRET="$(openssl rand -base64 48)"   # optional: with eventsSigningSecretInUse = true
//   export WALLETPASSES_POINTS_WEBHOOK_SECRET="$(openssl rand -base64 48)"   # optional: with pointsWebhookUrl
//   cp function-host/infra/main.example.bicepparam function-host/infra/main.bicepparam   # then edit appName and the rest
//   az deployment group create -g <group> -f function-host/infra/main.bicep -p function-host/infra/main.bicepparam
using 'main.bicep'

param appName = 'walletpasses'
param programId = 'default'
param instanceMemoryMB = 2048
param maximumInstanceCount = 100
// 1 keeps an instance running for the HTTP functions: no cold start when a customer taps "Add to Apple Wallet",
// billed while idle (README, Cold start). 0 scales to zero.
param alwaysReadyHttpInstances = 0
// Origins of web pages that call the API from a browser; the Add-to-Wallet links need none. Set CORS here: every
// deployment rewrites the app's CORS list, so origins added with `az functionapp cors add` are lost.
param corsAllowedOrigins = []

param signingSecret = readEnvironmentVariable('WALLETPASSES_SIGNING_SECRET', '')
param backendApiKey = readEnvironmentVariable('WALLETPASSES_BACKEND_API_KEY', '')
param passCertificateBase64 = readEnvironmentVariable('WALLETPASSES_PASS_CERTIFICATE_BASE64', '')
param passCertificatePassword = readEnvironmentVariable('WALLETPASSES_PASS_CERTIFICATE_PASSWORD', '')
// During a certificate rotation (README, Certificate rotation): true from installing the renewed one until it is promoted.
param nextPassCertificateInUse = false
param nextPassCertificateBase64 = readEnvironmentVariable('WALLETPASSES_NEXT_PASS_CERTIFICATE_BASE64', '')
param nextPassCertificatePassword = readEnvironmentVariable('WALLETPASSES_NEXT_PASS_CERTIFICATE_PASSWORD', '')
param wwdrCertificateBase64 = readEnvironmentVariable('WALLETPASSES_WWDR_CERTIFICATE_BASE64', '')
param barcodeSigningKeyPem = readEnvironmentVariable('WALLETPASSES_BARCODE_SIGNING_KEY_PEM', '')
// During a barcode key rotation: the next key's or the previous key's PUBLIC KEY block(s) (README, Rotating the barcode key).
param barcodeAcceptedKeysPem = ''
// Google Wallet stays off while this is empty; set it to the numeric issuer id to turn it on.
param googleIssuerId = ''
param googleServiceAccountKeyJson = readEnvironmentVariable('WALLETPASSES_GOOGLE_SERVICE_ACCOUNT_KEY_JSON', '')
// Signed loyalty events: set true with the secret the first time, and leave it true on every later deployment.
param eventsSigningSecretInUse = false
param eventsSigningSecret = readEnvironmentVariable('WALLETPASSES_EVENTS_SIGNING_SECRET', '')
// Points redemption webhook: its URL here, its secret in Key Vault.
param pointsWebhookUrl = ''
param pointsWebhookSecret = readEnvironmentVariable('WALLETPASSES_POINTS_WEBHOOK_SECRET', '')
// Your other app settings (README, Configuration), e.g. { WalletPasses__Retention__AppliedEvents: '21.00:00:00' }:
// every deployment replaces the app's settings list, and writes these too.
param additionalAppSettings = {}
// Your object id (az ad signed-in-user show --query id -o tsv): may upload program templates to the templates container.
param operatorPrincipalId = ''
// The loyalty backend's identity (object id): may send to loyalty-events and receive from pass-activity.
param backendPrincipalId = ''
