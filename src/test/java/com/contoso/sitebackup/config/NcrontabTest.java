package com.contoso.sitebackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NcrontabTest {

    @ParameterizedTest
    @ValueSource(strings = {"0 0 2 * * *", "*/30 * * * * *", "0 0,30 8-18 * * Mon-Fri", "0 15 3 1 Jan,Jul *",
            "0 0 */6 * * 0", "59 59 23 31 12 6", "0 0 2 * * sun", "0 5-55/10 * * * *", "0\t0  2 * * *"})
    void check_validSixFields_returnedTrimmed(String expression) {
        assertEquals(expression.trim(), Ncrontab.check(" " + expression + " "));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "0 2 * * *            | has 5 field(s)",
            "0 0 0 2 * * *        | has 7 field(s)",
            "''                   | has 0 field(s)",
            "00:05:00             | has 1 field(s)",
            "60 0 2 * * *         | the second field '60' is not valid: 60 is outside 0-59",
            "0 0 24 * * *         | the hour field '24' is not valid",
            "0 0 2 0 * *          | the day field '0' is not valid: 0 is outside 1-31",
            "0 0 2 * 13 *         | the month field '13' is not valid",
            "0 0 2 * Foo *        | the month field 'Foo' is not valid: 'Foo' is not a value (a number or one of",
            "0 0 2 * * 7          | the day of the week field '7' is not valid: 7 is outside 0-6",
            "0 0 2 * * Fri-Mon    | the range Fri-Mon ends before it starts",
            "0 */0 * * * *        | the step after '/' must be at least 1",
            "0 0 2, * * *         | the hour field '2,' is not valid",
            "0 0 -1 * * *         | the hour field '-1' is not valid",
            "0 0 2 ? * *          | the day field '?' is not valid"})
    void check_invalid_refusedSayingWhichFieldAndWhy(String expression, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ncrontab.check(expression));
        assertTrue(e.getMessage().contains(message.trim()), e.getMessage());
    }
}
