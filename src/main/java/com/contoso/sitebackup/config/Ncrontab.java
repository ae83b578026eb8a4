package com.contoso.sitebackup.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks an NCRONTAB expression the way the Functions timer trigger reads one: six fields separated by
 * spaces, {@code second minute hour day month day-of-week}, each a comma-separated list of {@code *},
 * {@code n} or {@code n-m}, optionally followed by {@code /step}; months also as {@code Jan}..{@code Dec},
 * days of the week as {@code Sun}..{@code Sat} (0 is Sunday). The timer's other form, a TimeSpan such as
 * {@code 00:05:00}, is not accepted here: a backup schedule names the times it runs at.
 */
public final class Ncrontab {
    private static final List<Field> FIELDS = List.of(
            new Field("second", 0, 59, List.of()),
            new Field("minute", 0, 59, List.of()),
            new Field("hour", 0, 23, List.of()),
            new Field("day", 1, 31, List.of()),
            new Field("month", 1, 12, List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                    "nov", "dec")),
            new Field("day of the week", 0, 6, List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat")));

    private Ncrontab() {
    }

    /**
     * Returns {@code expression} trimmed if it is a valid six-field NCRONTAB expression; otherwise throws
     * IllegalArgumentException saying which field is wrong and why.
     */
    public static String check(String expression) {
        Objects.requireNonNull(expression, "expression");
        String trimmed = expression.trim();
        String[] fields = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
        if (fields.length != FIELDS.size()) {
            throw new IllegalArgumentException("'" + expression + "' has " + fields.length + " field(s); an NCRONTAB"
                    + " schedule has six: second minute hour day month day-of-week, such as '0 0 2 * * *'");
        }
        for (int i = 0; i < fields.length; i++) {
            FIELDS.get(i).check(fields[i]);
        }
        return trimmed;
    }

    private record Field(String name, int min, int max, List<String> names) {
        void check(String text) {
            for (String element : text.split(",", -1)) {
                element(text, element);
            }
        }

        private void element(String field, String element) {
            String range = element;
            int slash = element.indexOf('/');
            if (slash >= 0) {
                range = element.substring(0, slash);
                int step = number(field, element.substring(slash + 1), "step");
                if (step < 1) {
                    throw wrong(field, "the step after '/' must be at least 1");
                }
            }
            if (range.equals("*")) {
                return;
            }
            int dash = range.indexOf('-');
            if (dash < 0) {
                value(field, range);
                return;
            }
            int from = value(field, range.substring(0, dash));
            int to = value(field, range.substring(dash + 1));
            if (from > to) {
                throw wrong(field, "the range " + range + " ends before it starts");
            }
        }

        private int value(String field, String text) {
            int index = names.indexOf(text.toLowerCase(Locale.ROOT));
            int value = index >= 0 ? min + index : number(field, text, "value");
            if (value < min || value > max) {
                throw wrong(field, text + " is outside " + min + "-" + max);
            }
            return value;
        }

        private int number(String field, String text, String what) {
            if (!text.matches("[0-9]{1,4}")) {
                throw wrong(field, "'" + text + "' is not a " + what
                        + (names.isEmpty() ? "" : " (a number or one of " + names + ")"));
            }
            return Integer.parseInt(text);
        }

        private IllegalArgumentException wrong(String field, String why) {
            return new IllegalArgumentException("the " + name + " field '" + field + "' is not valid: " + why);
        }
    }
}
