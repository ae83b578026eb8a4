// The function app: Linux, Java 17, on a Dedicated App Service plan (see infra/README.md for why), running
// as the user-assigned identity, with every storage connection identity-based and no key anywhere.
param name string
param planName string
param location string
param tags object
@description('Tag that tells azd which resource hosts the service; set on the function app only.')
param serviceName string
param identityId string
param identityClientId string
param appInsightsConnectionString string
param hubBlobEndpoint string
param hubQueueEndpoint string
param hubTableEndpoint string
param backupBlobEndpoint string
param allowedRoots string
param taskHubName string

// P1v3: 2 vCPU, 8 GB. /home is persistent storage that every instance of the app shares, which is what lets
// any instance run GetFileList and CopyFileToBlob against the same directory tree.
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
  // azd finds the deployment target by this tag, and wants exactly one resource with it.
  tags: union(tags, { 'azd-service-name': serviceName })
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
      // Durable triggers only listen while the host runs: a Dedicated plan needs Always On.
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      appSettings: [
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'java' }
        // The Java worker reads file names in the locale's charset: without UTF-8, unicode names break.
        { name: 'LC_ALL', value: 'C.UTF-8' }
        // Task hub storage, identity-based: no AzureWebJobsStorage connection string, no key.
        { name: 'AzureWebJobsStorage__blobServiceUri', value: hubBlobEndpoint }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: hubQueueEndpoint }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: hubTableEndpoint }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        // host.json names the hub (SiteBackupHub, directly or as %TASK_HUB_NAME%); the test checks they agree.
        { name: 'TASK_HUB_NAME', value: taskHubName }
        // The backup account, read by config/Settings.java: endpoint plus identity, no key. The connection-string
        // alternative (BackupStorage) is for Azurite only and is deliberately not set here.
        { name: 'BackupStorage__serviceUri', value: backupBlobEndpoint }
        { name: 'BackupStorage__clientId', value: identityClientId }
        { name: 'BACKUP_CONTAINER', value: 'backups' }
        { name: 'BACKUP_MANIFEST_CONTAINER', value: 'backup-manifests' }
        { name: 'BACKUP_ALLOWED_ROOTS', value: allowedRoots }
        // Telemetry: the component's connection string (endpoint + instrumentation key, an identifier) and
        // Entra authentication with the same identity, since the component refuses key-only ingestion.
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD;ClientId=${identityClientId}' }
      ]
    }
  }
}

// No basic-auth publishing credentials: azd and the Maven plugin both deploy with Microsoft Entra tokens.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

output name string = app.name
output url string = 'https://${app.properties.defaultHostName}'
