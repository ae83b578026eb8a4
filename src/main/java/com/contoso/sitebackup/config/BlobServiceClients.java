package com.contoso.sitebackup.config;


import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;

/**
 * Builds the backup account's {@link BlobServiceClient} from app settings: a connection string when
 * {@value Settings#BACKUP_STORAGE} is set (Azurite, local runs), otherwise the blob endpoint in
 * {@value Settings#BACKUP_STORAGE_SERVICE_URI} with {@code DefaultAzureCredential} (managed identity on
 * Azure, no keys). Build one per process: the client is thread-safe and holds the connection pool.
 */
public final class BlobServiceClients {
    private BlobServiceClients() {
    }

    /** A client for the backup account the settings describe; IllegalStateException if they describe none. */
    public static BlobServiceClient fromSettings(Settings settings) {
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder();
        if (settings.backupConnectionString().isPresent()) {
            return builder.connectionString(settings.backupConnectionString().get()).buildClient();
        }
        String endpoint = settings.backupServiceUri().orElseThrow(() -> new IllegalStateException(
                "No backup storage configured: set app setting " + Settings.BACKUP_STORAGE
                        + " (a connection string) or " + Settings.BACKUP_STORAGE_SERVICE_URI
                        + " (a blob endpoint, used with managed identity)"));
        DefaultAzureCredentialBuilder credential = new DefaultAzureCredentialBuilder();
        settings.backupClientId().ifPresent(credential::managedIdentityClientId);
        return builder.endpoint(endpoint).credential(credential.build()).buildClient();
    }
}
