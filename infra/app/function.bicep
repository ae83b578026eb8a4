// The function app: Linux, Java 17, on a Dedicated App Service plan (see infra/README.md for why), running
// as the user-assigned identity, with every storage connection identity-based and no key in its settings.
// The data it backs up is on Azure Files shares that mounts.bicep mounts into it.
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
@description('BACKUP_READ_ROOTS: directories a backup or verify may read, separated by ":".')
param readRoots string
@description('BACKUP_WRITE_ROOTS: directories a restore may write, separated by ":".')
param writeRoots string
param taskHubName string
@description('BACKUP_SCHEDULE: NCRONTAB (six fields) of the timer that starts the scheduled jobs.')
param backupSchedule string
@description('BACKUP_JOBS: the scheduled jobs, a JSON array as text.')
param backupJobs string
@description('Client id of the Entra app registration that App Service authentication validates tokens for; empty: off.')
param entraAuthClientId string
@description('Object ids of the only identities allowed through when Entra authentication is on; empty: not restricted here.')
param entraAuthAllowedIdentities array

// P1v3: 2 vCPU, 8 GB. Every instance mounts the same shares at the same paths, which is what lets any instance
// run GetFileList, CopyFileToBlob or RestoreBlobToFile against the same directory tree.
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
        // Appended by the host to the Java worker's JVM options: the heap starts at 64 MiB and grows as the work
        // needs (the default starts at 1/64 of the instance's memory); README, "Settings".
        { name: 'JAVA_OPTS', value: '-Xms64m -XX:+UseSerialGC' }
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
        // What the app may read and write: the mounted shares (main.bicep), never /home/site/wwwroot, the app's code.
        { name: 'BACKUP_READ_ROOTS', value: readRoots }
        { name: 'BACKUP_WRITE_ROOTS', value: writeRoots }
        { name: 'BACKUP_BATCH_FILES', value: '512' }
        { name: 'BACKUP_BATCH_MIB', value: '64' }
        { name: 'BACKUP_TRANSFERS', value: '16' }
        // Restores set the nine permission bits only: no set-uid, set-gid or sticky bit from a backup (issue 23).
        { name: 'BACKUP_RESTORE_SETID_BITS', value: 'false' }
        // Scheduled jobs: the timer trigger reads %BACKUP_SCHEDULE%; the staleness alert watches each job's name.
        { name: 'BACKUP_SCHEDULE', value: backupSchedule }
        { name: 'BACKUP_JOBS', value: backupJobs }
        // Retention: the largest share of a backup's stored bytes one pruning may delete (an operator's ceiling).
        { name: 'BACKUP_RETENTION_MAX_DELETE_SHARE', value: '0.5' }
        // Telemetry: the component's connection string (endpoint + instrumentation key, an identifier) and
        // Entra authentication with the same identity, since the component refuses key-only ingestion.
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD;ClientId=${identityClientId}' }
      ]
    }
  }
}

// App Service authentication with Microsoft Entra ID, when a client id is given: every HTTP request, the
// starter and the Durable status and management URLs alike, then needs a bearer token for that app
// registration as well as its key. No client secret: the app only validates tokens, it never signs anyone in.
resource entraAuth 'Microsoft.Web/sites/config@2023-12-01' = if (!empty(entraAuthClientId)) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
    }
    httpSettings: { requireHttps: true }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: entraAuthClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [ entraAuthClientId, 'api://${entraAuthClientId}' ]
          defaultAuthorizationPolicy: empty(entraAuthAllowedIdentities) ? {} : {
            allowedPrincipals: { identities: entraAuthAllowedIdentities }
          }
        }
      }
    }
    login: {
      tokenStore: { enabled: false }
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
