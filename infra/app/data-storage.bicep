// The data account: the Azure Files shares the function app mounts (the site's content, and a separate share
// restores write into). It is the one account in this template that allows shared-key authorization, because
// App Service mounts an Azure Files share over SMB only with the storage account key: mounts support neither
// Microsoft Entra ID nor a managed identity. So it holds nothing but those shares: no blob container, queue or
// table, no task hub, no backup. See infra/README.md, "The data account and its key".
param name string
param location string
param tags object
@description('Names of the file shares to create.')
param shares array
@description('Quota of each share in GiB: bounds what a runaway restore can write and what the share costs.')
param shareQuotaGiB int

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    // The SMB mount authenticates with the account key; with shared keys disallowed it cannot mount.
    allowSharedKeyAccess: true
    allowBlobPublicAccess: false
    // The portal and tools default to Entra ID for data access, so people browsing the shares need no key.
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    // Also refuses unencrypted SMB: only SMB 3.x with encryption can mount.
    supportsHttpsTrafficOnly: true
  }
}

resource fileService 'Microsoft.Storage/storageAccounts/fileServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    // A share deleted by mistake (the site's content) can be undeleted for 14 days.
    shareDeleteRetentionPolicy: {
      enabled: true
      days: 14
    }
  }
}

resource fileShares 'Microsoft.Storage/storageAccounts/fileServices/shares@2023-05-01' = [for share in shares: {
  parent: fileService
  name: share
  properties: {
    enabledProtocols: 'SMB'
    accessTier: 'TransactionOptimized'
    shareQuota: shareQuotaGiB
  }
}]

// The name only: the key is read where it is used (mounts.bicep) and never passed between modules.
output name string = account.name
