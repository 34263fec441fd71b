// WalletPasses on Azure Functions Flex Consumption: the Functions app (function-host/), its storage, a Key
// Vault with the pass material, a user-assigned managed identity with data-plane roles only (no storage keys,
// no connection strings) and Application Insights. Deploy into a resource group:
//   az deployment group create -g <group> -f function-host/infra/main.bicep -p function-host/infra/main.bicepparam (from main.example.bicepparam)
// then deploy the package built by function-host/package.sh (README, "Deploying to Azure").
//
// Sources:
// - Flex Consumption plan and functionAppConfig (runtime, deployment blob container, scale):
//   https://learn.microsoft.com/azure/azure-functions/flex-consumption-how-to
//   https://github.com/Azure-Samples/azure-functions-flex-consumption-samples (IaC/bicep, starters/http/dotnet/infra)
//   https://github.com/Azure/azure-quickstart-templates (quickstarts/microsoft.web/function-app-flex-consumption)
// - Identity-based host storage (AzureWebJobsStorage__accountName / __credential / __clientId, Storage Blob Data
//   Owner for the host's blobs and leases, Queue Data Contributor for queue triggers):
//   https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity
// - Key Vault references in app settings, resolved with a user-assigned identity (keyVaultReferenceIdentity):
//   https://learn.microsoft.com/azure/app-service/app-service-key-vault-references
// - Application Insights with Entra ID authentication (APPLICATIONINSIGHTS_AUTHENTICATION_STRING):
//   https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication
// - Built-in role ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles

@description('Short name of this deployment; resource names derive from it.')
@minLength(3)
@maxLength(20)
param appName string

@description('Region of every resource; it must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Externally visible base URL (https). Empty: https://<function app default host name>.')
param publicBaseUrl string = ''

@description('Which template (templates/{programId}/ in the templates container) this deployment issues.')
param programId string = 'default'

@description('Flex Consumption instance memory in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Upper bound of instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

// Flex Consumption's always-ready instances (learn.microsoft.com/azure/azure-functions/flex-consumption-plan, "Always
// ready instances"): all HTTP functions scale together as the group named "http". One such instance means a customer's
// "Add to Apple Wallet" tap or a device's refetch never waits for a start from zero; it is billed while idle, so 0 is
// the default. The queue trigger and the timers keep scaling from zero: a queued event waits for its start, nobody taps.
@description('Instances kept running for the HTTP functions, at most maximumInstanceCount (0: scale to zero; 1: no cold start for customers, billed while idle).')
@minValue(0)
param alwaysReadyHttpInstances int = 0

@description('Browser origins allowed to call the API cross-origin (Function App CORS; the platform answers preflights).')
param corsAllowedOrigins array = []

// Secrets go into Key Vault only; app settings hold Key Vault references to them. The first deployment gives every
// required one; a later deployment may leave any of them empty, which keeps the secret stored in Key Vault (it is
// written only when given), so a redeployment never rotates a secret nobody meant to rotate. A required secret never
// given leaves its reference unresolved, and the app refuses to start naming the setting.
@secure()
@description('Random secret, at least 32 characters, from which link and authenticationToken keys derive. Empty: keep the stored one.')
param signingSecret string = ''

@secure()
@description('The loyalty backend\'s API key, or sha256:<hex> of it. Empty: keep the stored one.')
param backendApiKey string = ''

@secure()
@description('Pass Type ID certificate with its private key: the .p12 file as base64. Empty: keep the stored one.')
param passCertificateBase64 string = ''

@secure()
@description('Password of the .p12. Empty: keep the stored one.')
param passCertificatePassword string = ''

@description('During a certificate rotation: whether the app also holds the renewed Pass Type ID certificate (Key Vault secrets next-pass-certificate…); the newest valid of the two signs and reaches APNs (README, Certificate rotation). Keep it true until the renewed one is promoted.')
param nextPassCertificateInUse bool = false

@secure()
@description('The renewed Pass Type ID certificate (.p12 as base64), with nextPassCertificateInUse. Empty: keep the stored one.')
param nextPassCertificateBase64 string = ''

@secure()
@description('Password of the renewed .p12. Empty: keep the stored one.')
param nextPassCertificatePassword string = ''

@secure()
@description('Apple WWDR G4 intermediate certificate: base64 DER or PEM text. Empty: keep the stored one.')
param wwdrCertificateBase64 string = ''

@secure()
@description('ECDSA P-256 private key (PEM) that signs barcode tokens. Empty: keep the stored one.')
param barcodeSigningKeyPem string = ''

@description('Public keys (PEM PUBLIC KEY blocks, not secret) whose barcode tokens still verify besides the signing key\'s: the next key before it signs, the previous one until it is retired (README, Rotating the barcode key).')
param barcodeAcceptedKeysPem string = ''

@description('Numeric Google Wallet issuer id. Empty: Google Wallet stays off. Given: googleServiceAccountKeyJson is needed too.')
param googleIssuerId string = ''

@secure()
@description('Google Wallet service-account JSON key (the key file\'s text), kept in Key Vault; the app reads it when googleIssuerId is given. Empty: keep the stored one.')
param googleServiceAccountKeyJson string = ''

@description('Whether POST /api/loyalty-events requires signed requests (WalletPasses__Events__SigningSecret, a Key Vault reference). Once true keep it true: the template cannot see whether the secret is stored, and without the setting signature checks are off.')
param eventsSigningSecretInUse bool = false

@secure()
@description('HMAC secret the loyalty backend signs events with, used while eventsSigningSecretInUse. Empty: keep the stored one.')
param eventsSigningSecret string = ''

@description('Where points redemption requests are POSTed (WalletPasses__Staff__PointsWebhookUrl). Empty: no webhook. Given: the webhook secret is read from Key Vault.')
param pointsWebhookUrl string = ''

@secure()
@description('Secret (at least 32 characters) that signs the points webhook\'s requests. Empty: keep the stored one.')
param pointsWebhookSecret string = ''

@description('More app settings (name: value) the operator owns, e.g. WalletPasses__Retention__AppliedEvents. They are written on every deployment, so they survive it; a name the template sets itself keeps the template\'s value.')
param additionalAppSettings object = {}

@description('Object id of the operator (az ad signed-in-user show --query id -o tsv) who uploads program templates: Storage Blob Data Contributor on the templates container. Empty: no role.')
param operatorPrincipalId string = ''

@description('Object id of the loyalty backend\'s identity (managed identity or service principal): Storage Queue Data Message Sender on loyalty-events and Message Processor on pass-activity. Empty: no role.')
param backendPrincipalId string = ''

var suffix = uniqueString(resourceGroup().id, appName)
// Storage account names: 3-24 lowercase letters and digits; 'st' + 13 characters of uniqueString.
var storageAccountName = 'st${suffix}'
// Key Vault names: 3-24 characters.
var keyVaultName = 'kv-${suffix}'
var functionAppName = '${appName}-${suffix}'
var deploymentContainerName = 'app-package'

// What the app uses (src/WalletPasses/Storage/StorageClients.cs, StorageNames). The app also creates any
// missing table, queue or container at start-up through its data-plane roles.
var tableNames = ['members', 'passes', 'devices', 'announcementsdue', 'googlecallbacks', 'scans', 'staffkeys', 'pointswebhook', 'deliverytrace']
var queueNames = ['loyalty-events', 'loyalty-events-poison', 'pass-activity']
var containerNames = ['templates', 'loyalty-events-rejected', deploymentContainerName]

var secretNames = {
  signingSecret: 'signing-secret'
  backendApiKey: 'backend-api-key'
  passCertificate: 'pass-certificate'
  passCertificatePassword: 'pass-certificate-password'
  nextPassCertificate: 'next-pass-certificate'
  nextPassCertificatePassword: 'next-pass-certificate-password'
  wwdrCertificate: 'wwdr-certificate'
  barcodeSigningKey: 'barcode-signing-key'
  googleKeyJson: 'google-service-account-key' // not "...AccountKey": the tests look for storage account keys by that word
  eventsSigningSecret: 'events-signing-secret'
  pointsWebhookSecret: 'points-webhook-secret'
}

var roleIds = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160ff3b'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
  storageQueueDataMessageProcessor: '8a0f0c08-91a1-4084-bc3d-661d67233fed'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${functionAppName}'
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false // identities only: no account keys, no connection strings
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource containers 'containers' = [for name in containerNames: {
      name: name
    }]
  }

  resource queueService 'queueServices' = {
    name: 'default'

    resource queues 'queues' = [for name in queueNames: {
      name: name
    }]
  }

  resource tableService 'tableServices' = {
    name: 'default'

    resource tables 'tables' = [for name in tableNames: {
      name: name
    }]
  }
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [roleIds.storageBlobDataOwner, roleIds.storageQueueDataContributor, roleIds.storageTableDataContributor]: {
  name: guid(storage.id, identity.id, role)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}]

// People and systems outside the app reach storage with their own Entra identities too (shared keys are off).
resource templatesContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: storage::blobService
  name: 'templates'
}

resource operatorTemplatesRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(templatesContainer.id, operatorPrincipalId, roleIds.storageBlobDataContributor)
  scope: templatesContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageBlobDataContributor)
    principalId: operatorPrincipalId
  }
  dependsOn: [
    storage::blobService::containers
  ]
}

// The backend writes events to loyalty-events and reads (and deletes) pass-activity messages, nothing else.
resource loyaltyEventsQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' existing = {
  parent: storage::queueService
  name: 'loyalty-events'
}

resource passActivityQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' existing = {
  parent: storage::queueService
  name: 'pass-activity'
}

resource backendSenderRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(backendPrincipalId)) {
  name: guid(loyaltyEventsQueue.id, backendPrincipalId, roleIds.storageQueueDataMessageSender)
  scope: loyaltyEventsQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageQueueDataMessageSender)
    principalId: backendPrincipalId
  }
  dependsOn: [
    storage::queueService::queues
  ]
}

resource backendProcessorRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(backendPrincipalId)) {
  name: guid(passActivityQueue.id, backendPrincipalId, roleIds.storageQueueDataMessageProcessor)
  scope: passActivityQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageQueueDataMessageProcessor)
    principalId: backendPrincipalId
  }
  dependsOn: [
    storage::queueService::queues
  ]
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

var secretValues = {
  '${secretNames.signingSecret}': signingSecret
  '${secretNames.backendApiKey}': backendApiKey
  '${secretNames.passCertificate}': passCertificateBase64
  '${secretNames.passCertificatePassword}': passCertificatePassword
  '${secretNames.nextPassCertificate}': nextPassCertificateBase64
  '${secretNames.nextPassCertificatePassword}': nextPassCertificatePassword
  '${secretNames.wwdrCertificate}': wwdrCertificateBase64
  '${secretNames.barcodeSigningKey}': barcodeSigningKeyPem
  '${secretNames.googleKeyJson}': googleServiceAccountKeyJson
  '${secretNames.eventsSigningSecret}': eventsSigningSecret
  '${secretNames.pointsWebhookSecret}': pointsWebhookSecret
}

resource secrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for secret in items(secretValues): if (!empty(secret.value)) {
  parent: keyVault
  name: secret.key
  properties: {
    value: secret.value
  }
}]

resource keyVaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, identity.id, roleIds.keyVaultSecretsUser)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${functionAppName}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${functionAppName}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true // telemetry only with the identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING)
  }
}

resource insightsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, roleIds.monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${functionAppName}'
  location: location
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true // Linux
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      cors: {
        allowedOrigins: corsAllowedOrigins
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReadyHttpInstances > 0 ? [
          {
            name: 'http'
            // Flex Consumption refuses more always-ready instances than the app may scale to; say which settings to change.
            instanceCount: alwaysReadyHttpInstances <= maximumInstanceCount
              ? alwaysReadyHttpInstances
              : fail('alwaysReadyHttpInstances (${alwaysReadyHttpInstances}) must be at most maximumInstanceCount (${maximumInstanceCount}): lower it or raise maximumInstanceCount.')
          }
        ] : []
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
  dependsOn: [
    storageRoles
    keyVaultRole
  ]
}

// A setting whose value Key Vault resolves with the identity above (the secret's latest version).
func keyVaultReference(vaultName string, secretName string) string =>
  '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=${secretName})'

// Flex Consumption refuses FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION as app settings: the
// runtime is functionAppConfig.runtime above. Every other name below is one the app (or the host) reads.
// This resource replaces the app's whole settings list on every deployment: settings the operator owns come in
// through additionalAppSettings (the template's own names win), optional secrets only while they are in use.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(additionalAppSettings, {
    AzureWebJobsStorage__accountName: storage.name
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identity.properties.clientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
    WalletPasses__PublicBaseUrl: empty(publicBaseUrl) ? 'https://${functionApp.properties.defaultHostName}' : publicBaseUrl
    WalletPasses__ProgramId: programId
    WalletPasses__SigningSecret: keyVaultReference(keyVault.name, secretNames.signingSecret)
    WalletPasses__ApiKeys__Backend__backend: keyVaultReference(keyVault.name, secretNames.backendApiKey)
    WalletPasses__Apple__CertificateBase64: keyVaultReference(keyVault.name, secretNames.passCertificate)
    WalletPasses__Apple__CertificatePassword: keyVaultReference(keyVault.name, secretNames.passCertificatePassword)
    // The renewed certificate only while a rotation is under way. Whether a setting is written depends on plain
    // parameters only, never on a secret's emptiness: an empty secret means "keep the stored one". Empty is the
    // same as unset to the app.
    WalletPasses__Apple__NextCertificateBase64: nextPassCertificateInUse ? keyVaultReference(keyVault.name, secretNames.nextPassCertificate) : ''
    WalletPasses__Apple__NextCertificatePassword: nextPassCertificateInUse ? keyVaultReference(keyVault.name, secretNames.nextPassCertificatePassword) : ''
    WalletPasses__Apple__WwdrCertificateBase64: keyVaultReference(keyVault.name, secretNames.wwdrCertificate)
    WalletPasses__Barcode__SigningKeyPem: keyVaultReference(keyVault.name, secretNames.barcodeSigningKey)
    WalletPasses__Barcode__AcceptedKeysPem: barcodeAcceptedKeysPem
    // Google Wallet is on only with an issuer id (an empty setting is the same as none to the app); the key's text
    // comes from Key Vault (a missing secret leaves the reference unresolved, which the app refuses at start-up).
    WalletPasses__Google__IssuerId: googleIssuerId
    WalletPasses__Google__ServiceAccountKeyJson: empty(googleIssuerId) ? '' : keyVaultReference(keyVault.name, secretNames.googleKeyJson)
  }, eventsSigningSecretInUse ? {
    WalletPasses__Events__SigningSecret: keyVaultReference(keyVault.name, secretNames.eventsSigningSecret)
  } : {}, empty(pointsWebhookUrl) ? {} : {
    WalletPasses__Staff__PointsWebhookUrl: pointsWebhookUrl
    WalletPasses__Staff__PointsWebhookSecret: keyVaultReference(keyVault.name, secretNames.pointsWebhookSecret)
  })
}

output functionAppName string = functionApp.name
output baseUrl string = 'https://${functionApp.properties.defaultHostName}'
output storageAccountName string = storage.name
output keyVaultName string = keyVault.name
output deploymentContainerUrl string = '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
