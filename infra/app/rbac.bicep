// Least privilege for the app's identity.
// - Task hub account: what the Functions host and the Durable Azure Storage provider need with an identity:
//   Storage Blob Data Owner (host leases and keys; the provider's leases and large messages),
//   Storage Queue Data Contributor (control and work-item queues), Storage Table Data Contributor (history
//   and instances tables).
// - Backup account: Storage Blob Data Contributor only (write blobs and manifests, list for incremental runs).
// - Application Insights: Monitoring Metrics Publisher, for Entra-authenticated ingestion.
// - Data account (the mounted shares): no role for the app; App Service mounts the shares with the account key.
// The deploying user (optional) may read and write backups, and put the site's content on the data account's
// shares with Entra ID (Storage File Data Privileged Contributor, the role Azure Files requires for OAuth over
// REST), so uploading needs no key. Role ids: built-in roles, listed in infra/README.md.
param identityPrincipalId string
param hubStorageName string
param backupStorageName string
param appInsightsName string
param dataStorageName string
param userPrincipalId string = ''

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  storageFileDataPrivilegedContributor: '69566ab7-960f-475b-8e7c-b3118f30c6bd'
}

resource hub 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: hubStorageName
}

resource backup 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: backupStorageName
}

resource data 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: dataStorageName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

var hubRoles = [ roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor ]

resource hubAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in hubRoles: {
  name: guid(hub.id, identityPrincipalId, role)
  scope: hub
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}]

resource backupAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(backup.id, identityPrincipalId, roles.storageBlobDataContributor)
  scope: backup
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource telemetryAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identityPrincipalId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// principalType is left out on purpose: the deployer may be a user or, in CI, a service principal.
resource userBackupAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(backup.id, userPrincipalId, roles.storageBlobDataContributor)
  scope: backup
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: userPrincipalId
  }
}

resource userDataAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(data.id, userPrincipalId, roles.storageFileDataPrivilegedContributor)
  scope: data
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageFileDataPrivilegedContributor)
    principalId: userPrincipalId
  }
}
