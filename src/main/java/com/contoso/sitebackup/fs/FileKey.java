package com.contoso.sitebackup.fs;

/**
 * The identity of a file-system entry: its device ({@code st_dev}, as {@code makedev} builds it from the major and
 * minor numbers) and inode number. Two keys are equal exactly when they name the same entry (while it exists); shown
 * as the JDK shows its own keys, {@code (dev=fe00,ino=12345)}.
 *
 * @param dev the device number
 * @param ino the inode number
 */
public record FileKey(long dev, long ino) {
    /** The key of the entry on device {@code major:minor} with inode {@code ino}. */
    static FileKey of(long major, long minor, long ino) {
        long dev = ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
        return new FileKey(dev, ino);
    }

    @Override
    public String toString() {
        return "(dev=" + Long.toHexString(dev) + ",ino=" + Long.toUnsignedString(ino) + ")";
    }
}
