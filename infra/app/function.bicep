// The function app: Linux, Java 17, on a Dedicated App Service plan (see infra/README.md for why), running
// as the user-assigned identity, with every storage connection identity-based.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param appInsightsConnectionString string
param hubBlobEndpoint string
param hubQueueEndpoint string
param hubTableEndpoint string
param backupBlobEndpoint string
param allowedRoots string
param taskHubName string

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: 'P1v3'
    tier: 'PremiumV3'
    capacity: 1
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2023-12-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      linuxFxVersion: 'Java|17'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      appSettings: [
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'java' }
        // The Java worker reads file names in the locale's charset: without UTF-8, unicode names break.
        { name: 'LC_ALL', value: 'C.UTF-8' }
        // Task hub storage, identity-based: no connection string, no key.
        { name: 'AzureWebJobsStorage__blobServiceUri', value: hubBlobEndpoint }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: hubQueueEndpoint }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: hubTableEndpoint }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'TASK_HUB_NAME', value: taskHubName }
        // The backup account, read by config/Settings.java: endpoint plus identity, no key.
        { name: 'BackupStorage__serviceUri', value: backupBlobEndpoint }
        { name: 'BackupStorage__clientId', value: identityClientId }
        { name: 'BACKUP_CONTAINER', value: 'backups' }
        { name: 'BACKUP_MANIFEST_CONTAINER', value: 'backup-manifests' }
        { name: 'BACKUP_ALLOWED_ROOTS', value: allowedRoots }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
      ]
    }
  }
}

output name string = app.name
output url string = 'https://${app.properties.defaultHostName}'
