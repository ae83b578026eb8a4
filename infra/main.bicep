// Site backup: a Durable Functions (Java 17) app that backs up a directory tree to Blob Storage.
// Everything is reached with a user-assigned managed identity. The task hub and backup accounts allow no
// shared key; the one exception is the data account whose Azure Files shares are mounted into the app (SMB
// mounts authenticate with the account key only): see infra/README.md.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; used to name resources.')
param environmentName string

@minLength(1)
@description('Region for every resource; the Maven plugin configuration in pom.xml uses the same default (functionRegion).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the deploying user; gets read/write on the backup account to browse backups, and on the data account shares (Entra ID) to upload the site content. Optional.')
param principalId string = ''

@description('Resource group; the Maven plugin configuration in pom.xml uses the same default.')
param resourceGroupName string = 'rg-site-backup'

@description('Function app name (globally unique); the Maven plugin configuration in pom.xml uses the same default.')
param functionAppName string = 'site-backup-func'

@description('App Service plan name; the Maven plugin configuration in pom.xml uses the same default.')
param appServicePlanName string = 'plan-site-backup'

@description('Directories a backup or verify may read, separated by ":" (BACKUP_READ_ROOTS): the mounted site share, and the restore share so a restore can be verified before it is copied into place.')
param readRoots string = '/mounts/site:/mounts/restore'

@description('Directories a restore may write, separated by ":" (BACKUP_WRITE_ROOTS): the mounted restore share only. Never /home/site/wwwroot, where the app itself is deployed.')
param writeRoots string = '/mounts/restore'

@description('NCRONTAB expression, six fields, of the timer that starts the scheduled jobs (BACKUP_SCHEDULE). Default: daily at 02:00 UTC.')
param backupSchedule string = '0 0 2 * * *'

@description('The scheduled jobs (BACKUP_JOBS), each an object with a unique name; the staleness alert watches every name. Default: none.')
param backupJobs array = []

@description('Resource id of an existing action group that the alert rules notify. Empty (default): the rules fire in the portal only, and no action group is created.')
param alertActionGroupId string = ''

@description('Application (client) id of a Microsoft Entra app registration. When set, App Service authentication requires a token for it on every HTTP request. Empty (default): off.')
param entraAuthClientId string = ''

@description('Object ids of the users, groups or service principals allowed through when Entra authentication is on. Empty: whoever the app registration admits.')
param entraAuthAllowedIdentities array = []

@description('Which data account key (0 or 1) mounts the shares: switch to the other one before regenerating this one.')
@allowed([ 0, 1 ])
param dataShareKeyIndex int = 0

@description('Quota in GiB of each share of the data account (site content, restores).')
param shareQuotaGiB int = 100

@description('Durable task hub; host.json reads it from the TASK_HUB_NAME app setting.')
param taskHubName string = 'SiteBackupHub'

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

// Where the data account's shares appear inside the app; the default roots above name these paths.
var siteShareName = 'site'
var siteMountPath = '/mounts/site'
var restoreShareName = 'restore'
var restoreMountPath = '/mounts/restore'

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

// The data account: the site's content and the restore target, as Azure Files shares mounted into the app.
// It allows shared-key authorization because the mount needs the key; nothing else lives in it.
module dataStorage 'app/data-storage.bicep' = {
  name: 'data-storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}data${resourceToken}'
    location: location
    tags: tags
    shares: [ siteShareName, restoreShareName ]
    shareQuotaGiB: shareQuotaGiB
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
    readRoots: readRoots
    writeRoots: writeRoots
    taskHubName: taskHubName
    backupSchedule: backupSchedule
    backupJobs: string(backupJobs)
    entraAuthClientId: entraAuthClientId
    entraAuthAllowedIdentities: entraAuthAllowedIdentities
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
    dataStorageName: dataStorage.outputs.name
    userPrincipalId: principalId
  }
}

module mounts 'app/mounts.bicep' = {
  name: 'mounts'
  scope: rg
  params: {
    appName: function.outputs.name
    dataStorageName: dataStorage.outputs.name
    keyIndex: dataShareKeyIndex
    siteShareName: siteShareName
    siteMountPath: siteMountPath
    restoreShareName: restoreShareName
    restoreMountPath: restoreMountPath
  }
}

module alerts 'app/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    appInsightsName: monitoring.outputs.appInsightsName
    location: location
    tags: tags
    actionGroupId: alertActionGroupId
    jobNames: map(backupJobs, job => job.name)
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = function.outputs.name
output AZURE_FUNCTION_URL string = function.outputs.url
output BACKUP_STORAGE_BLOB_ENDPOINT string = backupStorage.outputs.blobEndpoint
output DATA_STORAGE_ACCOUNT string = dataStorage.outputs.name
output SITE_SHARE string = siteShareName
output RESTORE_SHARE string = restoreShareName
output TASK_HUB_NAME string = taskHubName
