package com.contoso.sitebackup.config;

import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@AzuriteTest
class BlobServiceClientsTest {

    @Test
    void fromSettings_neitherSettingPresent_illegalStateNamingBothSettings() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BlobServiceClients.fromSettings(Settings.of(Map.of(Settings.BACKUP_STORAGE, " "))));
        assertTrue(e.getMessage().contains("BackupStorage "), e.getMessage());
        assertTrue(e.getMessage().contains("BackupStorage__serviceUri"), e.getMessage());
    }

    @Test
    void fromSettings_azuriteConnectionString_clientThatCreatesAContainer() {
        Azurite azurite = Azurite.shared();
        BlobServiceClient client = BlobServiceClients.fromSettings(
                Settings.of(Map.of(Settings.BACKUP_STORAGE, azurite.connectionString())));
        String name = "settings-" + UUID.randomUUID().toString().substring(0, 8);

        BlobContainerClient container = client.createBlobContainer(name);

        assertEquals(Azurite.ACCOUNT, client.getAccountName());
        assertTrue(azurite.client().getBlobContainerClient(name).exists());
        container.delete();
    }

    @Test
    void fromSettings_connectionStringAndServiceUri_connectionStringWins() {
        Azurite azurite = Azurite.shared();
        BlobServiceClient client = BlobServiceClients.fromSettings(Settings.of(Map.of(
                Settings.BACKUP_STORAGE, azurite.connectionString(),
                Settings.BACKUP_STORAGE_SERVICE_URI, "https://elsewhere.blob.core.windows.net")));
        assertEquals(azurite.blobEndpoint(), client.getAccountUrl());
    }

    @Test
    void fromSettings_serviceUriOnly_clientForThatEndpointWithoutNetwork() {
        BlobServiceClient client = BlobServiceClients.fromSettings(Settings.of(Map.of(
                Settings.BACKUP_STORAGE_SERVICE_URI, "https://acct.blob.core.windows.net",
                Settings.BACKUP_STORAGE_CLIENT_ID, "00000000-0000-0000-0000-000000000001")));
        assertEquals("https://acct.blob.core.windows.net", client.getAccountUrl());
        assertEquals("acct", client.getAccountName());
    }
}
