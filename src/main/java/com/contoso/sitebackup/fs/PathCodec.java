package com.contoso.sitebackup.fs;

import com.contoso.sitebackup.text.Printable;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The one rule that turns a file's path relative to its root into the part of its blob name after the prefix,
 * and back. Backup, restore and verify all use it, so a name means the same file everywhere.
 *
 * <p><b>The rule.</b> A Linux file name is a sequence of bytes other than NUL and {@code /}. The relative path
 * (names joined by {@code /}) is read as UTF-8, and every {@code /} stays a {@code /}. Every character is kept
 * as it is, except these, each written as {@code %XX} for every byte of its UTF-8 form ({@code XX} two
 * uppercase hexadecimal digits):
 * <ul>
 *   <li>{@code %} itself (the escape character) and {@code \} (the storage service turns it into {@code /});
 *   <li>control characters: U+0000-U+001F, U+007F-U+009F (the service refuses some; a newline would also
 *       forge a line in a listing or a log);
 *   <li>private-use characters (U+E000-U+F8FF, U+F0000-U+10FFFF) and noncharacters (U+FDD0-U+FDEF and every
 *       U+xxFFFE, U+xxFFFF), which the service documents as not usable in blob names;
 *   <li>a {@code .} that ends a name (the service and URL handling drop or fold trailing dots):
 *       {@code dot.} becomes {@code dot%2E}, {@code a..} becomes {@code a.%2E}.
 * </ul>
 * Bytes that are not part of valid UTF-8 (Linux allows any byte in a name) are written {@code %XX} one by one,
 * so {@code caf\xE9.txt} (Latin-1) becomes {@code caf%E9.txt}, distinct from {@code café.txt}, which stays as
 * it is. For example {@code a\b.txt} becomes {@code a%5Cb.txt}, {@code 100%.txt} becomes {@code 100%25.txt}
 * and {@code new⏎line} becomes {@code new%0Aline}.
 *
 * <p>Decoding reverses each escape to its byte. A blob name that is not exactly the encoding of some path (a
 * {@code %} without two uppercase hexadecimal digits, an escape of a character that needs none, a literal
 * {@code \} or trailing {@code .}, an empty, {@code .} or {@code ..} name, a {@code %00}) is refused, so two
 * blob names never decode to the same path and no blob name decodes to a path that leaves its root.
 *
 * <p><b>Java and invalid UTF-8.</b> With {@code sun.jnu.encoding=UTF-8} (a UTF-8 locale, which the app sets) the
 * JDK shows each invalid byte of a name as U+FFFD in {@link Path#toString()}, so that string cannot name the
 * file again. The {@link Path} objects a directory listing returns keep the original bytes, though, and
 * {@link Path#toUri()} / {@link Path#of(URI)} carry them exactly: {@link #encode(Path)} and
 * {@link #decodePath(String)} use them, so such files round-trip as long as the code passes {@code Path}s (or
 * encoded names), never the display string. A name that holds a genuine U+FFFD (bytes EF BF BD) stays U+FFFD.
 *
 * <p><b>Limits.</b> The service takes at most {@value #MAX_BLOB_NAME_LENGTH} characters and
 * {@value #MAX_SEGMENTS} {@code /}-separated segments in a blob name; {@link #isStorable} tells whether a whole
 * name (prefix included) fits, and a file whose name does not is to be reported, not copied.
 */
public final class PathCodec {
    /** The service's limit on a blob name, in characters (counted as UTF-16 units here, the stricter reading). */
    public static final int MAX_BLOB_NAME_LENGTH = 1024;
    /** The service's limit on the number of segments of a blob name (accounts without hierarchical namespace). */
    public static final int MAX_SEGMENTS = 254;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final FileSystem FILES = FileSystems.getDefault();
    private static final Path ROOT = FILES.getPath("/");
    /** Whether the JDK converts file names with UTF-8, so a valid UTF-8 name's string is exact. */
    private static final boolean UTF8_NAMES = "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"));

    private PathCodec() {
    }

    /**
     * The encoding of a relative path given as text (valid Unicode).
     *
     * @throws IllegalArgumentException when the path is not a relative path of file names (empty, leading,
     *     trailing or double slash, a {@code .} or {@code ..} name, NUL) or holds an unpaired surrogate
     */
    public static String encode(String relativePath) {
        if (relativePath == null) {
            throw new IllegalArgumentException("relativePath is required");
        }
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(relativePath));
            return encode(Arrays.copyOf(bytes.array(), bytes.limit()));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("relativePath '" + Printable.quote(relativePath)
                    + "' holds an unpaired surrogate, which no file name can");
        }
    }

    /**
     * The encoding of a relative path given as the bytes of its names joined by {@code /}.
     *
     * @throws IllegalArgumentException when the bytes are not a relative path of file names
     */
    public static String encode(byte[] relativePath) {
        checkRelative(relativePath);
        return escapeAll(relativePath);
    }

    /** The rule's escapes applied to {@code bytes} (names joined by '/'), without checking the path's shape. */
    private static String escapeAll(byte[] relativePath) {
        StringBuilder out = new StringBuilder(relativePath.length + 8);
        int i = 0;
        while (i < relativePath.length) {
            int b = relativePath[i] & 0xFF;
            if (b == '/') {
                out.append('/');
                i++;
                continue;
            }
            int length = utf8Length(relativePath, i);
            if (length == 0) {
                escape(out, b);
                i++;
                continue;
            }
            int c = codePoint(relativePath, i, length);
            boolean endsName = i + length == relativePath.length || relativePath[i + length] == '/';
            if (mustEscape(c) || (c == '.' && endsName)) {
                for (int k = 0; k < length; k++) {
                    escape(out, relativePath[i + k] & 0xFF);
                }
            } else {
                out.appendCodePoint(c);
            }
            i += length;
        }
        return out.toString();
    }

    /**
     * The encoding of a relative path from a directory listing or {@link #decodePath}, from the bytes the
     * path holds (not its display string, which loses invalid UTF-8).
     *
     * @throws IllegalArgumentException when the path is absolute or not made of file names
     */
    public static String encode(Path relativePath) {
        if (relativePath.isAbsolute()) {
            throw new IllegalArgumentException("relativePath '" + Printable.quote(relativePath.toString())
                    + "' must be relative");
        }
        return encode(bytes(relativePath));
    }

    /**
     * The path bytes an encoded name stands for.
     *
     * @throws IllegalArgumentException when {@code encoded} is not exactly the encoding of a relative path
     */
    public static byte[] decode(String encoded) {
        byte[] bytes = unescape(encoded);
        try {
            checkRelative(bytes);
        } catch (IllegalArgumentException e) {
            throw notEncoded(encoded, "it does not decode to a relative path of file names");
        }
        if (!encode(bytes).equals(encoded)) {
            throw notEncoded(encoded, "it is not written the one way the rule writes it");
        }
        return bytes;
    }

    /**
     * The encoding of a symbolic link's target, as {@link SecureDirectory#readSymbolicLink} returns it: the rule's
     * escapes, but a target may be absolute (a leading {@code /}, kept) and may hold {@code .} and {@code ..}
     * names (written {@code %2E} and {@code .%2E} by the trailing-dot rule), since a link is stored and restored,
     * never followed. A relative target without such names is encoded exactly as {@link #encode(Path)} encodes it.
     * (Java's paths keep no repeated or trailing slash, so a target {@code dir/} comes back as {@code dir}.)
     */
    public static String encodeLinkTarget(Path target) {
        return escapeAll(linkTargetBytes(target));
    }

    /**
     * The link target an {@link #encodeLinkTarget} encoding stands for, holding exactly its bytes.
     *
     * @throws IllegalArgumentException when {@code encoded} is not exactly such an encoding (an empty name, a
     *     trailing slash, NUL, or an escape written another way)
     */
    public static Path decodeLinkTarget(String encoded) {
        byte[] bytes = unescape(encoded);
        boolean absolute = bytes[0] == '/';
        if (absolute && bytes.length == 1) {
            return ROOT;
        }
        checkTargetNames(encoded, bytes, absolute ? 1 : 0);
        if (!escapeAll(bytes).equals(encoded)) {
            throw notEncoded(encoded, "it is not written the one way the rule writes it");
        }
        return linkTarget(bytes, absolute);
    }

    /** The bytes of a link's target: a leading '/' for an absolute one, then its names joined by '/'. */
    public static byte[] linkTargetBytes(Path target) {
        if (!target.isAbsolute()) {
            return bytes(target);
        }
        if (target.getNameCount() == 0) {
            return new byte[] {'/'};
        }
        byte[] names = bytes(target.subpath(0, target.getNameCount()));
        byte[] bytes = new byte[names.length + 1];
        bytes[0] = '/';
        System.arraycopy(names, 0, bytes, 1, names.length);
        return bytes;
    }

    /**
     * The path holding {@code bytes} as a link stores them (absolute or relative, '.' and '..' names kept), as the
     * JDK would show it: repeated and trailing slashes dropped.
     *
     * @throws IllegalArgumentException when {@code bytes} is empty
     */
    static Path anyPath(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("an empty link target");
        }
        boolean absolute = bytes[0] == '/';
        ByteArrayOutputStream kept = new ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '/' || i == 0 || bytes[i - 1] != '/') {
                kept.write(bytes[i]);
            }
        }
        byte[] normal = kept.toByteArray();
        int length = normal.length;
        while (length > 1 && normal[length - 1] == '/') {
            length--;
        }
        normal = Arrays.copyOf(normal, length);
        if (absolute && normal.length == 1) {
            return ROOT;
        }
        return linkTarget(normal, absolute);
    }

    /** The link target holding {@code bytes} (names, '.' and '..' included, after a '/' when absolute). */
    private static Path linkTarget(byte[] bytes, boolean absolute) {
        if (UTF8_NAMES && utf8(bytes)) {
            return FILES.getPath(new String(bytes, StandardCharsets.UTF_8));
        }
        StringBuilder uri = new StringBuilder("file:///");
        for (int i = absolute ? 1 : 0; i < bytes.length; i++) {
            if (bytes[i] == '/') {
                uri.append('/');
            } else {
                escape(uri, bytes[i] & 0xFF);
            }
        }
        // Path.of(URI) keeps '.' and '..' names as they are (relativize would fold them away), so the names are cut
        // off the absolute path as a sub-path.
        Path whole = Path.of(URI.create(uri.toString()));
        return absolute ? whole : whole.subpath(0, whole.getNameCount());
    }

    /** Refuses an empty name (repeated or trailing slash) and NUL in a link target from {@code start} on. */
    private static void checkTargetNames(String encoded, byte[] bytes, int start) {
        int nameStart = start;
        for (int i = start; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '/') {
                if (i == nameStart) {
                    throw notEncoded(encoded, "a link target has no empty name");
                }
                nameStart = i + 1;
            } else if (bytes[i] == 0) {
                throw notEncoded(encoded, "a link target cannot hold NUL");
            }
        }
    }

    /** The bytes {@code encoded} writes, each escape turned back into its byte; refuses a malformed escape. */
    private static byte[] unescape(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            throw new IllegalArgumentException("an encoded name must not be empty");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); ) {
            int c = encoded.codePointAt(i);
            if (c == '%') {
                int high = i + 2 < encoded.length() ? hexValue(encoded.charAt(i + 1)) : -1;
                int low = high < 0 ? -1 : hexValue(encoded.charAt(i + 2));
                if (low < 0) {
                    throw notEncoded(encoded, "'%' must be followed by two uppercase hexadecimal digits");
                }
                out.write(high << 4 | low);
                i += 3;
            } else if (c < 0x80) {
                out.write(c);
                i++;
            } else {
                if (c >= 0xD800 && c <= 0xDFFF) {
                    throw notEncoded(encoded, "it holds an unpaired surrogate");
                }
                byte[] utf8 = Character.toString(c).getBytes(StandardCharsets.UTF_8);
                out.write(utf8, 0, utf8.length);
                i += Character.charCount(c);
            }
        }
        return out.toByteArray();
    }

    /**
     * Any bytes but NUL (an extended attribute's name, say) as text, by the rule's escapes: {@code %}, {@code \},
     * control and private-use characters and bytes that are not UTF-8 written {@code %XX}; a {@code /} is kept (it is
     * an ordinary character in such a name) and so is a {@code .} that ends the text only if it is not the last
     * character or a character before a {@code /}.
     */
    static String escapeBytes(byte[] bytes) {
        return escapeAll(bytes);
    }

    /**
     * The bytes {@link #escapeBytes} wrote as {@code text}, exactly.
     *
     * @throws IllegalArgumentException when {@code text} is empty, holds NUL, or is not written the one way the rule
     *     writes it
     */
    static byte[] unescapeBytes(String text) {
        byte[] bytes = unescape(text);
        for (byte b : bytes) {
            if (b == 0) {
                throw notEncoded(text, "it holds NUL");
            }
        }
        if (!escapeAll(bytes).equals(text)) {
            throw notEncoded(text, "it is not written the one way the rule writes it");
        }
        return bytes;
    }

    /** How the blob name of a path too long for a blob name starts, after the prefix: never an encoded path. */
    public static final String DERIVED_FOLDER = "%00long/";
    private static final java.util.regex.Pattern DERIVED = java.util.regex.Pattern.compile(
            java.util.regex.Pattern.quote(DERIVED_FOLDER) + "[0-9a-f]{64}");

    /**
     * The part after the prefix of the blob that holds the content of {@code encodedPath} when {@code prefix/encodedPath}
     * is longer than a blob name may be ({@link #isStorable}): {@value #DERIVED_FOLDER} and the SHA-256 of the
     * encoded path in lowercase hex (72 characters in all). No path encodes to it ({@code %00} stands for NUL, which
     * no file name holds), so it never meets a file's own blob, and a backup snapshot maps it back to the path.
     */
    public static String derivedName(String encodedPath) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(encodedPath.getBytes(StandardCharsets.UTF_8));
            return DERIVED_FOLDER + java.util.HexFormat.of().formatHex(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Whether {@code name} (a blob name after its prefix) has the shape of a {@link #derivedName}. */
    public static boolean isDerivedName(String name) {
        return name != null && DERIVED.matcher(name).matches();
    }

    /**
     * The path an encoded name stands for, as text; only for names that are valid UTF-8.
     *
     * @throws IllegalArgumentException when {@code encoded} is not an encoding, or its name holds bytes that
     *     are not UTF-8 (use {@link #decodePath} for those)
     */
    public static String decodeToString(String encoded) {
        byte[] bytes = decode(encoded);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("'" + Printable.quote(encoded)
                    + "' names a file whose name is not UTF-8; it has no exact text form");
        }
    }

    /**
     * The relative path an encoded name stands for, holding exactly its bytes (also those that are not UTF-8),
     * to be resolved against a directory.
     *
     * @throws IllegalArgumentException when {@code encoded} is not an encoding
     */
    public static Path decodePath(String encoded) {
        return path(decode(encoded));
    }

    /**
     * Whether a whole blob name ({@code prefix/encoded}) is one the service stores: 1 to
     * {@value #MAX_BLOB_NAME_LENGTH} characters, at most {@value #MAX_SEGMENTS} segments.
     */
    public static boolean isStorable(String blobName) {
        if (blobName == null || blobName.isEmpty() || blobName.length() > MAX_BLOB_NAME_LENGTH) {
            return false;
        }
        return blobName.chars().filter(c -> c == '/').count() + 1 <= MAX_SEGMENTS;
    }

    /** The bytes of a relative path: from its string when the JDK's conversion is exact, else via its URI. */
    static byte[] bytes(Path relativePath) {
        String text = relativePath.toString();
        if (UTF8_NAMES && FILES.getPath(text).equals(relativePath)) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        // Path.toUri percent-encodes the path's own bytes; it needs an absolute path, so one under "/".
        String raw = ROOT.resolve(relativePath).toUri().getRawPath();
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        int end = raw.endsWith("/") ? raw.length() - 1 : raw.length();
        for (int i = 1; i < end; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                out.write(Integer.parseInt(raw, i + 1, i + 3, 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    /** A relative path holding exactly {@code bytes}. */
    static Path path(byte[] bytes) {
        checkRelative(bytes);
        if (UTF8_NAMES && utf8(bytes)) {
            return FILES.getPath(new String(bytes, StandardCharsets.UTF_8));
        }
        StringBuilder uri = new StringBuilder("file:///");
        for (byte b : bytes) {
            if (b == '/') {
                uri.append('/');
            } else {
                escape(uri, b & 0xFF);
            }
        }
        return ROOT.relativize(Path.of(URI.create(uri.toString())));
    }

    private static boolean utf8(byte[] bytes) {
        for (int i = 0; i < bytes.length; ) {
            int length = utf8Length(bytes, i);
            if (length == 0) {
                return false;
            }
            i += length;
        }
        return true;
    }

    private static boolean mustEscape(int c) {
        return c == '%' || c == '\\' || c < 0x20 || (c >= 0x7F && c <= 0x9F)
                || (c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000
                || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
    }

    /** Refuses bytes that are not names joined by single slashes (no NUL, no empty, '.' or '..' name). */
    private static void checkRelative(byte[] path) {
        if (path.length == 0) {
            throw new IllegalArgumentException("a relative path must not be empty");
        }
        int start = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i == path.length || path[i] == '/') {
                int length = i - start;
                boolean dots = (length == 1 && path[start] == '.')
                        || (length == 2 && path[start] == '.' && path[start + 1] == '.');
                if (length == 0 || dots) {
                    throw new IllegalArgumentException("a relative path must be file names joined by single"
                            + " slashes, without '.' or '..' names");
                }
                start = i + 1;
            } else if (path[i] == 0) {
                throw new IllegalArgumentException("a file name cannot hold NUL");
            }
        }
    }

    /**
     * The length of the valid UTF-8 sequence at {@code i} (shortest form, no surrogates, at most U+10FFFF),
     * or 0 when the byte there does not start one.
     */
    private static int utf8Length(byte[] b, int i) {
        int first = b[i] & 0xFF;
        if (first < 0x80) {
            return 1;
        }
        int length;
        int min;
        if (first >= 0xC2 && first <= 0xDF) {
            length = 2;
            min = 0x80;
        } else if (first >= 0xE0 && first <= 0xEF) {
            length = 3;
            min = 0x800;
        } else if (first >= 0xF0 && first <= 0xF4) {
            length = 4;
            min = 0x10000;
        } else {
            return 0;
        }
        if (i + length > b.length) {
            return 0;
        }
        for (int k = 1; k < length; k++) {
            if ((b[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        int c = codePoint(b, i, length);
        boolean valid = c >= min && c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF);
        return valid ? length : 0;
    }

    private static int codePoint(byte[] b, int i, int length) {
        if (length == 1) {
            return b[i];
        }
        int c = b[i] & (0xFF >> (length + 1));
        for (int k = 1; k < length; k++) {
            c = c << 6 | (b[i + k] & 0x3F);
        }
        return c;
    }

    private static void escape(StringBuilder out, int b) {
        out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static IllegalArgumentException notEncoded(String encoded, String why) {
        return new IllegalArgumentException("'" + Printable.quote(encoded) + "' is not an encoded file name: " + why);
    }
}
