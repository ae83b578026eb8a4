// Site backup: a Durable Functions (Java 17) app that backs up a directory tree to Blob Storage.
// Everything is reached with a user-assigned managed identity; no storage account allows shared keys.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; used to name resources.')
param environmentName string

@minLength(1)
@description('Region for every resource; the Maven plugin configuration in pom.xml uses the same default (functionRegion).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the deploying user; gets read/write on the backup account to browse backups. Optional.')
param principalId string = ''

@description('Resource group; the Maven plugin configuration in pom.xml uses the same default.')
param resourceGroupName string = 'rg-site-backup'

@description('Function app name (globally unique); the Maven plugin configuration in pom.xml uses the same default.')
param functionAppName string = 'site-backup-func'

@description('App Service plan name; the Maven plugin configuration in pom.xml uses the same default.')
param appServicePlanName string = 'plan-site-backup'

@description('Directories a backup may read and a restore may write, separated by ":" (BACKUP_ALLOWED_ROOTS).')
param allowedRoots string = '/home/site/wwwroot:/home/LogFiles:/home/data'

@description('Durable task hub; host.json reads it from the TASK_HUB_NAME app setting.')
param taskHubName string = 'SiteBackupHub'

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: resourceGroupName
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    workspaceName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    appInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

// The task hub's own account: the performance guide recommends keeping Durable's queues, tables and
// leases apart from everything else.
module hubStorage 'app/storage.bicep' = {
  name: 'hub-storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}hub${resourceToken}'
    location: location
    tags: tags
    backupFeatures: false
    containers: []
  }
}

// The backup account: versioning and soft delete on, because CopyFileToBlob overwrites blobs and a damaged
// source file must not destroy the last good copy.
module backupStorage 'app/storage.bicep' = {
  name: 'backup-storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}bak${resourceToken}'
    location: location
    tags: tags
    backupFeatures: true
    containers: [ 'backups', 'backup-manifests' ]
  }
}

module function 'app/function.bicep' = {
  name: 'function'
  scope: rg
  params: {
    name: functionAppName
    planName: appServicePlanName
    location: location
    tags: tags
    serviceName: 'api'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    hubBlobEndpoint: hubStorage.outputs.blobEndpoint
    hubQueueEndpoint: hubStorage.outputs.queueEndpoint
    hubTableEndpoint: hubStorage.outputs.tableEndpoint
    backupBlobEndpoint: backupStorage.outputs.blobEndpoint
    allowedRoots: allowedRoots
    taskHubName: taskHubName
  }
  // Start the host once its identity may reach the task hub, so its first minutes are not spent on 403s.
  dependsOn: [ rbac ]
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    identityPrincipalId: identity.outputs.principalId
    hubStorageName: hubStorage.outputs.name
    backupStorageName: backupStorage.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
    userPrincipalId: principalId
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = function.outputs.name
output AZURE_FUNCTION_URL string = function.outputs.url
output BACKUP_STORAGE_BLOB_ENDPOINT string = backupStorage.outputs.blobEndpoint
output TASK_HUB_NAME string = taskHubName
