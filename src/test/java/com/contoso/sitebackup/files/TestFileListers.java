package com.contoso.sitebackup.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** FileListers over the package-private {@link FileLister.FileSystemView} seam, for tests in other packages. */
public final class TestFileListers {
    private TestFileListers() {
    }

    /**
     * A lister over the local file system that also lists {@code phantom} (a name in the root that does not
     * exist) with the attributes of the real file {@code lookAlike}: a file that vanished after it was listed.
     */
    public static FileLister withVanishedFile(Path root, String phantom, Path lookAlike) {
        Path phantomPath = root.resolve(phantom);
        return new FileLister(new FileLister.FileSystemView() {
            @Override
            public BasicFileAttributes attributes(Path path) throws IOException {
                Path real = path.equals(phantomPath) ? lookAlike : path;
                return Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            }

            @Override
            public List<Path> children(Path directory) throws IOException {
                List<Path> children = new ArrayList<>();
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
                    stream.forEach(children::add);
                }
                if (directory.equals(root)) {
                    children.add(phantomPath);
                }
                return children;
            }
        });
    }
}
