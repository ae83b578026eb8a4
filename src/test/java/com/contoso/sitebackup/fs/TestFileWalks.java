package com.contoso.sitebackup.fs;

import com.contoso.sitebackup.filter.PathFilter;

/** FileWalks for tests in other packages: the real walk with something happening to the tree meanwhile. */
public final class TestFileWalks {
    private TestFileWalks() {
    }

    /**
     * The real walk, also reporting {@code phantom} (a path that does not exist) at its place in name order with
     * {@code lookAlike}'s size and mtime: a file that vanished after it was listed.
     */
    public static FileWalk withVanishedFile(String phantom, FileEntry lookAlike) {
        FileEntry ghost = new FileEntry(phantom, lookAlike.getSize(), lookAlike.getLastModified());
        return (SecureDirectory root, PathFilter filter, FileWalk.Visitor visitor) -> {
            boolean[] reported = {false};
            TreeWalker.FILES.walk(root, filter, new FileWalk.Visitor() {
                @Override
                public void file(FileEntry file) {
                    if (!reported[0] && NameOrder.compare(phantom, file.getPath()) < 0) {
                        reported[0] = true;
                        visitor.file(ghost);
                    }
                    visitor.file(file);
                }

                @Override
                public void problem(FileProblem problem) {
                    visitor.problem(problem);
                }
            });
            if (!reported[0]) {
                visitor.file(ghost);
            }
        };
    }
}
