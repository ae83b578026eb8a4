// A storage account reached only with Microsoft Entra ID: shared keys (and so connection strings with
// keys and account SAS) are disabled. With backupFeatures, blob versioning, blob and container soft delete
// are on, and old plans and problem reports are removed by a lifecycle rule (snapshot manifests never are).
param name string
param location string
param tags object
param backupFeatures bool
param containers array

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: backupFeatures ? {
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: 30
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 30
    }
  } : {}
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in containers: {
  parent: blobService
  name: container
  properties: { publicAccess: 'None' }
}]

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = if (backupFeatures) {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          // Plans are working files of large runs (a retried GetFileList can leave one unused), reports are read
          // within days. Only these two folders: snapshots/ holds the backups' history, which retention prunes.
          name: 'delete-old-plans-and-reports'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [ 'blockBlob' ]
              prefixMatch: [ 'backup-manifests/plans/', 'backup-manifests/reports/' ]
            }
            actions: {
              baseBlob: { delete: { daysAfterModificationGreaterThan: 7 } }
            }
          }
        }
        {
          // Versions kept by overwrites are the safety net; keep them 90 days.
          name: 'expire-old-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [ 'blockBlob' ]
              prefixMatch: [ 'backups/' ]
            }
            actions: {
              version: { delete: { daysAfterCreationGreaterThan: 90 } }
            }
          }
        }
      ]
    }
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
