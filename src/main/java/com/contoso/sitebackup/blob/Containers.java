package com.contoso.sitebackup.blob;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import java.util.function.Supplier;

/**
 * Writes into a container that is made when it is missing, without a Create Container request per write: the write
 * is sent first, and only when the service answers that the container does not exist is it created (a Create
 * Container that finds it made by someone else meanwhile is fine) and the write sent once more. A container that
 * exists, which is every write but the first of a deployment, costs no request beyond the write itself.
 */
public final class Containers {
    private Containers() {
    }

    /** {@code write} into {@code container}, creating the container first if the write finds none. */
    public static <T> T creatingIfMissing(BlobContainerClient container, Supplier<T> write) {
        try {
            return write.get();
        } catch (BlobStorageException e) {
            if (!isContainerMissing(e)) {
                throw e;
            }
            container.createIfNotExists();
            return write.get();
        }
    }

    /** {@code write} into {@code container}, creating the container first if the write finds none. */
    public static void creatingIfMissing(BlobContainerClient container, Runnable write) {
        creatingIfMissing(container, () -> {
            write.run();
            return null;
        });
    }

    /** True when {@code e} says the container does not exist. */
    public static boolean isContainerMissing(BlobStorageException e) {
        return BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode());
    }
}
