package com.contoso.sitebackup.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.contoso.sitebackup.testing.Azurite;
import com.contoso.sitebackup.testing.AzuriteTest;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listing against Azurite, and its order against the walk's, so the two can be merged in one pass. */
@AzuriteTest
class BlobListingTest {
    @TempDir
    Path tmp;

    private final BlobContainerClient container = Azurite.shared().client()
            .getBlobContainerClient("listing-" + UUID.randomUUID().toString().substring(0, 8));
    private Path root;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        container.create();
    }

    @AfterEach
    void tearDown() {
        container.delete();
    }

    /**
     * Names that sort differently as folders and as text ({@code a.txt}, {@code a/}, {@code a0}), escapes
     * ({@code %5C}, {@code %2E}, {@code %0A}), upper case, accents and CJK: the service lists the blobs of a walked
     * tree in exactly the order the walk meets the files, and {@link BlobListing} keeps that order.
     */
    @Test
    void byEncodedPath_blobsOfAWalkedTree_inTheWalksOrderAsTheServiceListsThem() throws IOException {
        for (String name : List.of("a.txt", "a/x.txt", "a0.txt", "a-b.txt", "a/b/c.txt", "ab/c.txt", "a\\b.txt",
                "Z.txt", "é/e.txt", "e.txt", "dot.", "new\nline", "100%.txt", "日本/語.txt", "a b/c d.txt")) {
            Path file = root.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, name);
        }
        List<String> walked = new ArrayList<>();
        try (SecureDirectory start = SecureRoots.forReading("BACKUP_READ_ROOTS", List.of(root))
                .open("rootDirectory", root.toString());
             Stream<TreeWalker.Entry> walk = TreeWalker.stream(start)) {
            walk.forEach(entry -> walked.add(entry.encodedPath()));
        }
        for (String encoded : walked) {
            container.getBlobClient("p/" + encoded).upload(BinaryData.fromString(encoded));
        }

        List<String> listedByTheService = container.listBlobs(new ListBlobsOptions().setPrefix("p/"), null).stream()
                .map(BlobItem::getName).map(name -> name.substring(2)).toList();

        assertEquals(walked, listedByTheService);
        assertEquals(walked, new ArrayList<>(BlobListing.byEncodedPath(container, "p").keySet()));
        System.out.println("walk order = listing order for " + walked.size() + " names: " + walked);
    }

    @Test
    void byEncodedPath_blobsUnderASiblingPrefix_leftOut() {
        container.getBlobClient("p/a.txt").upload(BinaryData.fromString("a"));
        container.getBlobClient("pp/b.txt").upload(BinaryData.fromString("b"));
        container.getBlobClient("c.txt").upload(BinaryData.fromString("c"));

        assertEquals(List.of("a.txt"), new ArrayList<>(BlobListing.byEncodedPath(container, "p").keySet()));
        assertEquals(List.of("c.txt", "p/a.txt", "pp/b.txt"), new ArrayList<>(BlobListing.byEncodedPath(container, "").keySet()));
    }
}
