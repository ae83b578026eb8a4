// Mounts the data account's shares into the function app: the site's content at siteMountPath (a read root)
// and the restore share at restoreMountPath (the write root). App Service authenticates an Azure Files (SMB)
// mount only with a storage account key, so this module reads the key at deployment and writes it into the
// app's azurestorageaccounts configuration: the only place in this template that touches a key. The key is
// not an app setting (the app's code and its console never see it), is not a parameter or an output of any
// deployment, and unlocks only the data account. Adding or changing a mount restarts the app.
param appName string
param dataStorageName string
@description('Which of the data account\'s two keys the mounts use; switch before regenerating the other one.')
@allowed([ 0, 1 ])
param keyIndex int
param siteShareName string
param siteMountPath string
param restoreShareName string
param restoreMountPath string

resource app 'Microsoft.Web/sites@2023-12-01' existing = {
  name: appName
}

resource data 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: dataStorageName
}

resource storageMounts 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: app
  name: 'azurestorageaccounts'
  properties: {
    // App Service has no read-only flag for an Azure Files mount: the site share is writable at the SMB level,
    // and only BACKUP_WRITE_ROOTS (which leaves it out) keeps restores from writing into it.
    site: {
      type: 'AzureFiles'
      protocol: 'Smb'
      accountName: data.name
      shareName: siteShareName
      mountPath: siteMountPath
      accessKey: data.listKeys().keys[keyIndex].value
    }
    restore: {
      type: 'AzureFiles'
      protocol: 'Smb'
      accountName: data.name
      shareName: restoreShareName
      mountPath: restoreMountPath
      accessKey: data.listKeys().keys[keyIndex].value
    }
  }
}
