package com.contoso.sitebackup.filter;

import com.contoso.sitebackup.text.Printable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One glob pattern over relative paths (forward slashes), matched in time linear in the path's length.
 *
 * <p>The syntax is that of {@link java.nio.file.FileSystem#getPathMatcher} with {@code glob:}: {@code *} matches
 * any characters within a folder name, {@code **} any characters across folders, {@code ?} one character other
 * than {@code /}, {@code [abc]}, {@code [a-z]} and {@code [!a-z]} one character of a set (never {@code /}),
 * {@code {a,b}} one of several sub-patterns (not nested), and {@code \} makes the next character literal. Two
 * rules are added, as in rclone and AzCopy: a {@code **}{@code /} at the start of the pattern or after a
 * {@code /} matches zero or more whole folders (so {@code **}{@code /*.html} takes a top-level
 * {@code index.html}), and a pattern without {@code /} also matches the file name alone ({@code *.log}).
 *
 * <p>The JDK compiles a glob to a backtracking regular expression, whose cost grows with the path's length to
 * the power of the number of stars ({@code *a*a*a*a*a*a*a*a*a*a*a*b} takes seconds per name). This class
 * compiles the pattern to a nondeterministic automaton of at most a few nodes per pattern character and
 * simulates all of its states at once, one 64-bit word per 64 nodes: every character of the path costs the
 * same bounded number of word operations, whatever the path. Patterns are limited to
 * {@value #MAX_PATTERN_LENGTH} characters and a list to {@value #MAX_PATTERNS} of them.
 *
 * <p><b>A budget per request.</b> Those limits alone still let one request make every path cost hundreds of times
 * what one {@code *.zip} costs (64 patterns of 80 characters full of alternatives: 574 times, about 9 minutes of CPU
 * for 100,000 deep paths). So each pattern has a {@link #cost()}: the most matching steps it takes per path character
 * (one per 64-node word of its automaton, one per bracket expression, one per move into or out of a
 * {@code {a,b}} alternative, twice that for a pattern without {@code /}, which is also matched against the file
 * name), and all patterns of one request together may cost at most {@value #MAX_STEPS_PER_CHARACTER}
 * ({@link #checkBudget}): {@code *.zip} costs 2, so no request makes a path cost more than 128 {@code *.zip}s. The
 * steps one match takes are counted ({@link #steps}), never more than its cost times the characters matched.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class Glob {
    /** The longest pattern accepted, in characters. */
    public static final int MAX_PATTERN_LENGTH = 1024;
    /** The most patterns accepted in one list (includes, or excludes). */
    public static final int MAX_PATTERNS = 64;
    /**
     * The most matching steps per path character all the patterns of one request (includes and excludes together)
     * may cost ({@link #cost()}); {@code *.zip} costs 2.
     */
    public static final int MAX_STEPS_PER_CHARACTER = 256;

    private final String pattern;
    private final Automaton path;
    /** The automaton run on the file name alone, for a pattern without a slash; otherwise null. */
    private final Automaton name;

    private Glob(String pattern, Automaton path, Automaton name) {
        this.pattern = pattern;
        this.path = path;
        this.name = name;
    }

    /**
     * Compiles one pattern.
     *
     * @param argument what the pattern is, for messages ({@code "include"}, {@code "exclude"})
     * @throws IllegalArgumentException naming the argument and the pattern when it is blank, absolute, longer
     *     than {@value #MAX_PATTERN_LENGTH} characters or not a valid glob
     */
    public static Glob compile(String argument, String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException(argument + " patterns must not be blank");
        }
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            throw new IllegalArgumentException(argument + " pattern '" + Printable.quote(pattern.substring(0, 40))
                    + "...' is longer than " + MAX_PATTERN_LENGTH + " characters");
        }
        if (pattern.startsWith("/")) {
            throw new IllegalArgumentException(argument + " pattern '" + Printable.quote(pattern)
                    + "' must be relative to the root (no leading '/')");
        }
        List<Item> items;
        try {
            items = new Parser(pattern).parse();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(argument + " pattern '" + Printable.quote(pattern)
                    + "' is not a valid glob: " + e.getMessage());
        }
        Automaton path = Automaton.of(items);
        return new Glob(pattern, path, pattern.indexOf('/') < 0 ? path : null);
    }

    /**
     * Compiles a list of patterns; null is an empty list.
     *
     * @throws IllegalArgumentException naming the argument when the list holds more than {@value #MAX_PATTERNS}
     *     patterns, or naming the first pattern that {@link #compile} refuses
     */
    public static List<Glob> compileAll(String argument, List<String> patterns) {
        if (patterns == null) {
            return List.of();
        }
        if (patterns.size() > MAX_PATTERNS) {
            throw new IllegalArgumentException(argument + " has " + patterns.size() + " patterns; at most "
                    + MAX_PATTERNS + " are allowed");
        }
        List<Glob> globs = new ArrayList<>(patterns.size());
        long total = 0;
        for (String pattern : patterns) {
            Glob glob = compile(argument, pattern);
            total += glob.cost();
            if (total > MAX_STEPS_PER_CHARACTER) {
                // Refused as soon as the list is over the budget: the rest is not compiled.
                throw overBudget(argument + " patterns", total);
            }
            globs.add(glob);
        }
        return List.copyOf(globs);
    }

    /**
     * Refuses lists of patterns that together cost more than {@value #MAX_STEPS_PER_CHARACTER} matching steps per path
     * character: every path of a request is matched against all of them.
     *
     * @param what the lists, for the message ({@code "include and exclude patterns"})
     * @throws IllegalArgumentException saying what they cost and what is allowed
     */
    @SafeVarargs
    public static void checkBudget(String what, List<Glob>... lists) {
        long total = 0;
        for (List<Glob> list : lists) {
            for (Glob glob : list) {
                total += glob.cost();
            }
        }
        if (total > MAX_STEPS_PER_CHARACTER) {
            throw overBudget(what, total);
        }
    }

    private static IllegalArgumentException overBudget(String what, long total) {
        return new IllegalArgumentException(what + " would cost " + (total > MAX_STEPS_PER_CHARACTER * 4L
                ? "over " + MAX_STEPS_PER_CHARACTER * 4L : Long.toString(total)) + " matching steps per path character;"
                + " at most " + MAX_STEPS_PER_CHARACTER + " are allowed for one request (each pattern costs about one"
                + " step per 64 characters, one per [...] and one per {a,b} alternative, twice that without a '/'):"
                + " use fewer patterns, alternatives or brackets");
    }

    /** The pattern as given. */
    public String pattern() {
        return pattern;
    }

    /**
     * The most matching steps this pattern takes per character of a path: its automaton's 64-node words, bracket
     * expressions and alternative moves, twice for a pattern without a slash (matched against the path and against
     * the file name). {@code *.zip} costs 2.
     */
    public int cost() {
        return path.cost() * (name != null ? 2 : 1);
    }

    /**
     * Whether the relative path (forward slashes, no leading or trailing slash) matches: the whole path, or
     * for a pattern without a slash also its last segment.
     */
    public boolean matches(String relativePath) {
        return (run(relativePath) & 1) != 0;
    }

    /**
     * The matching steps {@link #matches} takes on {@code relativePath} (words, bracket tests and alternative moves
     * looked at): at most {@link #cost()} per character. For tests and benchmarks that count work, not time.
     */
    public long steps(String relativePath) {
        return run(relativePath) >>> 1;
    }

    /** Matches, and counts: the steps taken shifted left once, or 1 when the path matches. */
    long run(String relativePath) {
        long whole = path.run(relativePath, 0);
        if ((whole & 1) != 0) {
            return whole;
        }
        int slash = relativePath.lastIndexOf('/');
        if (name != null && slash >= 0) {
            return (whole & ~1L) + name.run(relativePath, slash + 1);
        }
        return whole;
    }

    @Override
    public String toString() {
        return pattern;
    }

    /** A parsed pattern element. */
    private sealed interface Item permits One, Star, AnyFolders, Group {
    }

    /** One character that satisfies a test. */
    private record One(CharTest test) implements Item {
    }

    /** {@code *} (within a folder) or {@code **} (across folders). */
    private record Star(boolean crossesFolders) implements Item {
    }

    /** A {@code **}{@code /} at the start of a folder name: zero or more whole folders. */
    private record AnyFolders() implements Item {
    }

    /** {@code {a,b,...}}: one of the alternatives, each a sequence without groups. */
    private record Group(List<List<Item>> alternatives) implements Item {
    }

    /** What one path character must be. */
    private sealed interface CharTest permits Literal, NotSlash, CharClass {
    }

    private record Literal(int codePoint) implements CharTest {
    }

    /** {@code ?}: any character but the folder separator. */
    private record NotSlash() implements CharTest {
    }

    /** A bracket expression: code point ranges (inclusive pairs), possibly negated; never the separator. */
    private record CharClass(int[] ranges, boolean negated) implements CharTest {
        boolean accepts(int c) {
            if (c == '/') {
                return false;
            }
            boolean in = false;
            for (int i = 0; i < ranges.length && !in; i += 2) {
                in = c >= ranges[i] && c <= ranges[i + 1];
            }
            return in != negated;
        }
    }

    /**
     * Parses a pattern with the JDK's rules for escapes, brackets and groups (same errors, same meanings), so
     * that a pattern means what it meant before this matcher replaced the JDK's.
     */
    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        List<Item> parse() {
            List<Item> items = new ArrayList<>();
            List<List<Item>> alternatives = null;
            List<Item> current = items;
            while (at < text.length()) {
                int start = at;
                int c = text.codePointAt(at);
                at += Character.charCount(c);
                switch (c) {
                    case '\\' -> {
                        if (at >= text.length()) {
                            throw new IllegalArgumentException("no character to escape at the end");
                        }
                        int next = text.codePointAt(at);
                        at += Character.charCount(next);
                        current.add(new One(new Literal(next)));
                    }
                    case '*' -> {
                        int stars = 1;
                        while (at < text.length() && text.charAt(at) == '*') {
                            stars++;
                            at++;
                        }
                        boolean folderStart = start == 0 || text.charAt(start - 1) == '/';
                        if (stars == 2 && folderStart && at < text.length() && text.charAt(at) == '/') {
                            at++;
                            current.add(new AnyFolders());
                        } else {
                            current.add(new Star(stars > 1));
                        }
                    }
                    case '?' -> current.add(new One(new NotSlash()));
                    case '[' -> current.add(new One(charClass()));
                    case '{' -> {
                        if (alternatives != null) {
                            throw new IllegalArgumentException("groups cannot be nested (at index " + start + ")");
                        }
                        alternatives = new ArrayList<>();
                        current = new ArrayList<>();
                    }
                    case ',' -> {
                        if (alternatives == null) {
                            current.add(new One(new Literal(c)));
                        } else {
                            alternatives.add(current);
                            current = new ArrayList<>();
                        }
                    }
                    case '}' -> {
                        if (alternatives == null) {
                            current.add(new One(new Literal(c)));
                        } else {
                            alternatives.add(current);
                            items.add(new Group(List.copyOf(alternatives)));
                            alternatives = null;
                            current = items;
                        }
                    }
                    default -> current.add(new One(new Literal(c)));
                }
            }
            if (alternatives != null) {
                throw new IllegalArgumentException("missing '}'");
            }
            return items;
        }

        /** A bracket expression, after its '['. */
        private CharClass charClass() {
            int open = at - 1;
            List<Integer> ranges = new ArrayList<>();
            boolean negated = false;
            if (peek() == '^') {
                // The JDK takes '^' literally here: only '!' negates.
                add(ranges, '^', '^');
                at++;
            } else {
                if (peek() == '!') {
                    negated = true;
                    at++;
                }
                if (peek() == '-') {
                    add(ranges, '-', '-');
                    at++;
                }
            }
            boolean rangeStart = false;
            int last = 0;
            boolean closed = false;
            while (at < text.length()) {
                int c = text.codePointAt(at);
                at += Character.charCount(c);
                if (c == ']') {
                    closed = true;
                    break;
                }
                if (c == '/') {
                    throw new IllegalArgumentException("'/' inside brackets (at index " + (at - 1) + ")");
                }
                if (c == '-') {
                    if (!rangeStart) {
                        throw new IllegalArgumentException("invalid range (at index " + (at - 1) + ")");
                    }
                    int end = peek();
                    if (end < 0) {
                        break;
                    }
                    at += Character.charCount(end);
                    if (end == ']') {
                        // A '-' before the closing bracket is literal: [a-] is 'a' or '-'.
                        add(ranges, '-', '-');
                        closed = true;
                        break;
                    }
                    if (end < last) {
                        throw new IllegalArgumentException("invalid range (at index " + (at - 1) + ")");
                    }
                    ranges.set(ranges.size() - 1, end);
                    rangeStart = false;
                } else {
                    add(ranges, c, c);
                    rangeStart = true;
                    last = c;
                }
            }
            if (!closed) {
                throw new IllegalArgumentException("missing ']' for '[' at index " + open);
            }
            if (ranges.isEmpty()) {
                throw new IllegalArgumentException("empty brackets at index " + open);
            }
            return new CharClass(ranges.stream().mapToInt(Integer::intValue).toArray(), negated);
        }

        private int peek() {
            return at < text.length() ? text.codePointAt(at) : -1;
        }

        private static void add(List<Integer> ranges, int from, int to) {
            ranges.add(from);
            ranges.add(to);
        }
    }

    /**
     * The compiled pattern: nodes laid out in pattern order, simulated as bit sets.
     *
     * <p>A node either consumes one character (a {@code One}: then the next node is active; a {@code Star}: it
     * stays active) or consumes none and only leads elsewhere (a group's opening, an alternative's end, the
     * opening of {@code **}{@code /}, and the final node, which means a match). All moves go forward except a
     * star's stay, so the set of nodes reachable without consuming is computed in one pass over the words:
     * moves from a node to the next ("runs") a word at a time by doubling shifts, the few longer moves
     * ("jumps") one by one in pattern order.
     */
    private static final class Automaton {
        private final int words;
        private final int accept;
        /** Nodes that stay active after consuming (stars). */
        private final long[] loop;
        /** Nodes that pass to the next node after consuming (single characters). */
        private final long[] advance;
        /** Nodes from which the next node is reachable without consuming. */
        private final long[] run;
        /** Nodes consuming any character (stars across folders). */
        private final long[] anyChar;
        /** Nodes consuming any character but '/' ({@code ?}, stars within a folder). */
        private final long[] notSlash;
        /** Nodes consuming a bracket expression, tested one by one. */
        private final long[] classes;
        private final CharClass[] classOf;
        /** Nodes consuming one literal character, by that character: ASCII in an array, the rest in a map. */
        private final long[][] ascii;
        private final Map<Integer, long[]> literals;
        /** Jumps as pairs (from, to), sorted by from; and per word the index of its first jump. */
        private final int[] jumps;
        private final int[] firstJump;
        /** Per word, the nodes some jump leaves from: a word none of them is active in has no jump to look at. */
        private final long[] jumpSources;
        private final long[] start;
        /** The most steps one character costs: a step per word, per bracket node, per jump. */
        private final int cost;

        private Automaton(Builder b) {
            int nodes = b.kinds.size();
            this.words = (nodes + 63) >>> 6;
            this.accept = nodes - 1;
            this.loop = new long[words];
            this.advance = new long[words];
            this.run = new long[words];
            this.anyChar = new long[words];
            this.notSlash = new long[words];
            this.classes = new long[words];
            this.classOf = new CharClass[nodes];
            this.ascii = new long[128][];
            this.literals = new HashMap<>();
            for (int node = 0; node < nodes; node++) {
                Object kind = b.kinds.get(node);
                if (kind instanceof Star star) {
                    set(loop, node);
                    set(run, node);
                    set(star.crossesFolders() ? anyChar : notSlash, node);
                } else if (kind instanceof One one) {
                    set(advance, node);
                    if (one.test() instanceof Literal literal) {
                        int c = literal.codePoint();
                        long[] bits = c < ascii.length ? ascii[c] : literals.computeIfAbsent(c, k -> new long[words]);
                        if (bits == null) {
                            bits = ascii[c] = new long[words];
                        }
                        set(bits, node);
                    } else if (one.test() instanceof CharClass charClass) {
                        set(classes, node);
                        classOf[node] = charClass;
                    } else {
                        set(notSlash, node);
                    }
                } else if (kind == Builder.PASS) {
                    set(run, node);
                }
            }
            int[][] sorted = b.jumps.toArray(new int[0][]);
            Arrays.sort(sorted, (x, y) -> Integer.compare(x[0], y[0]));
            this.jumps = new int[sorted.length * 2];
            this.firstJump = new int[words + 1];
            this.jumpSources = new long[words];
            int word = 0;
            for (int i = 0; i < sorted.length; i++) {
                jumps[2 * i] = sorted[i][0];
                jumps[2 * i + 1] = sorted[i][1];
                set(jumpSources, sorted[i][0]);
                while (word <= sorted[i][0] >>> 6) {
                    firstJump[word++] = i;
                }
            }
            while (word <= words) {
                firstJump[word++] = sorted.length;
            }
            int classNodes = 0;
            for (long bits : classes) {
                classNodes += Long.bitCount(bits);
            }
            this.cost = words + classNodes + sorted.length;
            this.start = new long[words];
            set(start, 0);
            close(start);
        }

        int cost() {
            return cost;
        }

        static Automaton of(List<Item> items) {
            Builder builder = new Builder();
            builder.add(items);
            builder.node(Builder.FINAL);
            return new Automaton(builder);
        }

        /**
         * Whether {@code text} from {@code from} to its end matches, and the work it took: the steps (a word, a
         * bracket test, a jump looked at) shifted left once, plus 1 for a match.
         */
        long run(String text, int from) {
            long[] active = start.clone();
            long[] consumed = new long[words];
            long steps = 0;
            for (int i = from; i < text.length(); ) {
                int c = text.codePointAt(i);
                i += Character.charCount(c);
                int taken = step(active, consumed, c);
                if (taken < 0) {
                    return (steps - taken) << 1;
                }
                steps += taken;
            }
            return (steps << 1) | ((active[accept >>> 6] & (1L << accept)) != 0 ? 1 : 0);
        }

        /**
         * Moves {@code active} over one character; the steps taken, negated when no node is left active (the match
         * then fails, whatever follows).
         */
        private int step(long[] active, long[] consumed, int c) {
            long[] literal = c < ascii.length ? ascii[c] : literals.get(c);
            int steps = words;
            for (int w = 0; w < words; w++) {
                long accepts = anyChar[w] | (c == '/' ? 0 : notSlash[w]) | (literal == null ? 0 : literal[w]);
                long tested = active[w] & classes[w];
                while (tested != 0) {
                    int bit = Long.numberOfTrailingZeros(tested);
                    tested &= tested - 1;
                    steps++;
                    if (classOf[(w << 6) + bit].accepts(c)) {
                        accepts |= 1L << bit;
                    }
                }
                consumed[w] = active[w] & accepts;
            }
            long any = 0;
            long carry = 0;
            for (int w = 0; w < words; w++) {
                long advancing = consumed[w] & advance[w];
                active[w] = (consumed[w] & loop[w]) | (advancing << 1) | carry;
                carry = advancing >>> 63;
                any |= active[w];
            }
            if (any == 0) {
                return -Math.max(steps, 1);
            }
            return steps + close(active);
        }

        /**
         * Adds to {@code nodes} every node reachable from them without consuming a character; returns how many
         * jumps were looked at.
         */
        private int close(long[] nodes) {
            int looked = 0;
            for (int w = 0; w < words; w++) {
                if (w > 0 && ((nodes[w - 1] & run[w - 1]) >>> 63) != 0) {
                    nodes[w] |= 1L;
                }
                nodes[w] = runs(nodes[w], run[w]);
                if ((nodes[w] & jumpSources[w]) == 0) {
                    // No jump leaves from a node active in this word (a jump from this word never lands before it).
                    continue;
                }
                looked += firstJump[w + 1] - firstJump[w];
                for (int j = firstJump[w]; j < firstJump[w + 1]; j++) {
                    int from = jumps[2 * j];
                    int to = jumps[2 * j + 1];
                    if ((nodes[w] & (1L << from)) != 0 && (nodes[to >>> 6] & (1L << to)) == 0) {
                        nodes[to >>> 6] |= 1L << to;
                        if (to >>> 6 == w) {
                            // Nodes after 'to' in this word, and jumps from them, are handled after it.
                            nodes[w] = runs(nodes[w], run[w]);
                        }
                    }
                }
            }
            return looked;
        }

        /** Within one word: every node reachable from {@code nodes} through a chain of run nodes. */
        private static long runs(long nodes, long run) {
            long reach = nodes;
            long chain = run;
            reach |= (reach & chain) << 1;
            chain &= chain >>> 1;
            reach |= (reach & chain) << 2;
            chain &= chain >>> 2;
            reach |= (reach & chain) << 4;
            chain &= chain >>> 4;
            reach |= (reach & chain) << 8;
            chain &= chain >>> 8;
            reach |= (reach & chain) << 16;
            chain &= chain >>> 16;
            reach |= (reach & chain) << 32;
            return reach;
        }

        private static void set(long[] bits, int node) {
            bits[node >>> 6] |= 1L << node;
        }
    }

    /** Lays out the nodes of an automaton and its jumps. */
    private static final class Builder {
        /** A node that consumes nothing and leads to the next node. */
        static final Object PASS = new Object();
        /** A node that consumes nothing and leads only where its jumps go. */
        static final Object STOP = new Object();
        /** The final node: reaching it with the whole text consumed is a match. */
        static final Object FINAL = new Object();

        final List<Object> kinds = new ArrayList<>();
        final List<int[]> jumps = new ArrayList<>();

        int node(Object kind) {
            kinds.add(kind);
            return kinds.size() - 1;
        }

        void add(List<Item> items) {
            for (Item item : items) {
                if (item instanceof AnyFolders) {
                    // (.*/)? : a pass node that may skip a star across folders and the slash after it.
                    int open = node(PASS);
                    node(new Star(true));
                    node(new One(new Literal('/')));
                    jumps.add(new int[] {open, kinds.size()});
                } else if (item instanceof Group group) {
                    int open = node(PASS);
                    List<Integer> ends = new ArrayList<>();
                    for (int i = 0; i < group.alternatives().size(); i++) {
                        if (i > 0) {
                            jumps.add(new int[] {open, kinds.size()});
                        }
                        add(group.alternatives().get(i));
                        ends.add(node(STOP));
                    }
                    for (int end : ends) {
                        jumps.add(new int[] {end, kinds.size()});
                    }
                } else {
                    node(item);
                }
            }
        }
    }
}
