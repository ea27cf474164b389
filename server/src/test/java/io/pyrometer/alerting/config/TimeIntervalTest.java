package io.pyrometer.alerting.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** time_intervals semantics (timeinterval.ContainsTime), with instants chosen by hand. */
class TimeIntervalTest {
    static List<TimeInterval> load(String intervals) throws Exception {
        String yaml = "route: {receiver: a}\nreceivers: [{name: a}]\ntime_intervals:\n  - name: t\n    time_intervals:\n" + intervals;
        return AlertmanagerConfigLoader.parse(yaml, Path.of("am.yml")).timeIntervals().get("t");
    }

    static boolean in(List<TimeInterval> tis, String instant) {
        for (TimeInterval ti : tis) if (ti.contains(Instant.parse(instant))) return true;
        return false;
    }

    @Test
    void businessHoursInALocation() throws Exception {
        var t = load("      - times: [{start_time: '09:00', end_time: '17:00'}]\n        weekdays: ['monday:friday']\n        location: Europe/Berlin\n");
        assertThat(in(t, "2024-01-08T08:00:00Z")).isTrue();   // Monday 09:00 in Berlin (UTC+1)
        assertThat(in(t, "2024-01-08T07:59:00Z")).isFalse();  // 08:59 in Berlin
        assertThat(in(t, "2024-01-08T16:00:00Z")).isFalse();  // 17:00 in Berlin: the end is exclusive
        assertThat(in(t, "2024-01-06T10:00:00Z")).isFalse();  // Saturday
    }

    @Test
    void negativeDaysOfMonthCountFromTheEnd() throws Exception {
        var t = load("      - days_of_month: ['-2:-1']\n");
        assertThat(in(t, "2024-02-28T12:00:00Z")).isTrue();   // leap year: 28th and 29th are the last two
        assertThat(in(t, "2024-02-29T12:00:00Z")).isTrue();
        assertThat(in(t, "2024-02-27T12:00:00Z")).isFalse();
        assertThat(in(t, "2023-04-29T12:00:00Z")).isTrue();   // April has 30 days
    }

    @Test
    void monthsYearsAndEndOfDay() throws Exception {
        var t = load("      - months: ['december', 'january:february']\n        years: ['2023:2024']\n        times: [{start_time: '22:00', end_time: '24:00'}]\n");
        assertThat(in(t, "2023-12-31T23:59:00Z")).isTrue();
        assertThat(in(t, "2024-02-01T22:00:00Z")).isTrue();
        assertThat(in(t, "2025-01-01T23:00:00Z")).isFalse();
        assertThat(in(t, "2024-03-01T23:00:00Z")).isFalse();
    }

    @Test
    void badRangesNamePosition() {
        assertThatThrownBy(() -> load("      - weekdays: ['friday:monday']\n")).hasMessageContaining("am.yml:6:").hasMessageContaining("start day cannot be before end day");
        assertThatThrownBy(() -> load("      - days_of_month: ['0']\n")).hasMessageContaining("0 is not a valid day of the month: out of range");
        assertThatThrownBy(() -> load("      - months: ['13']\n")).hasMessageContaining("13 is not a valid month");
        assertThatThrownBy(() -> load("      - times: [{start_time: '9:00', end_time: '10:00'}]\n")).hasMessageContaining("couldn't parse timestamp 9:00, invalid format");
    }
}
