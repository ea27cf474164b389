package io.pyrometer.alerting.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.alerting.ManualScheduler;
import io.pyrometer.alerting.config.Matcher;
import io.pyrometer.model.Labels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Silence states, updates in place or by replacement, expiry, retention and the snapshot file. */
class SilencesTest {
    static final long T0 = 1_700_000_000_000L, M = 60_000, H = 60 * M;
    final ManualScheduler clock = new ManualScheduler(T0);

    static Silence sil(String id, long starts, long ends, Matcher... ms) {
        return new Silence(id, List.of(ms), starts, ends, 0, "me", "why");
    }

    static final Matcher JOB = Matcher.of(Matcher.Type.EQ, "job", "api");

    @Test
    void statesFollowTheClockAndOnlyActiveSilencesMute() throws Exception {
        Silences s = new Silences(clock, H, null);
        String id = s.set(sil("", T0 + M, T0 + 2 * M, JOB));
        assertThat(s.get(id).stateAt(clock.nowMs())).isEqualTo(Silence.State.PENDING);
        assertThat(s.mutedBy(Labels.of("job", "api"), clock.nowMs())).isEmpty();
        clock.advance(M);
        assertThat(s.mutedBy(Labels.of("job", "api", "x", "y"), clock.nowMs())).containsExactly(id);
        assertThat(s.mutedBy(Labels.of("job", "web"), clock.nowMs())).isEmpty();
        clock.advance(M);
        assertThat(s.get(id).stateAt(clock.nowMs())).isEqualTo(Silence.State.EXPIRED);
    }

    @Test
    void extendingAnActiveSilenceKeepsItsIdChangingMatchersReplacesIt() throws Exception {
        Silences s = new Silences(clock, H, null);
        String id = s.set(sil("", T0, T0 + H, JOB));
        clock.advance(M);
        assertThat(s.set(sil(id, T0, T0 + 2 * H, JOB))).isEqualTo(id);
        String other = s.set(sil(id, T0, T0 + 2 * H, Matcher.of(Matcher.Type.NEQ, "job", "api"), JOB));
        assertThat(other).isNotEqualTo(id);
        assertThat(s.get(id).stateAt(clock.nowMs())).isEqualTo(Silence.State.EXPIRED);
        assertThat(s.get(other).startsAtMs()).isEqualTo(clock.nowMs());
    }

    @Test
    void invalidSilencesAreRefused() throws Exception {
        Silences s = new Silences(clock, H, null);
        assertThatThrownBy(() -> s.set(sil("", T0, T0 + H))).hasMessageContaining("at least one matcher");
        assertThatThrownBy(() -> s.set(sil("", T0, T0 + H, Matcher.of(Matcher.Type.RE, "job", ".*"))))
                .hasMessageContaining("must not match the empty string");
        assertThatThrownBy(() -> s.set(sil("missing", T0, T0 + H, JOB))).isInstanceOf(Silences.NotFound.class);
        String id = s.set(sil("", T0, T0 + H, JOB));
        s.expire(id);
        assertThatThrownBy(() -> s.expire(id)).hasMessageContaining("already expired");
    }

    @Test
    void expiredSilencesAreKeptForTheRetentionAndSurviveARestart(@TempDir Path dir) throws Exception {
        Silences s = new Silences(clock, H, dir.resolve("silences"));
        String a = s.set(sil("", T0, T0 + M, JOB));
        String b = s.set(sil("", T0, T0 + 10 * H, Matcher.of(Matcher.Type.NRE, "env", "dev|test"), JOB));
        clock.advance(M + H);
        assertThat(s.gc()).isZero();
        clock.advance(1);
        assertThat(s.gc()).isEqualTo(1);
        Silences reloaded = new Silences(clock, H, dir.resolve("silences"));
        assertThat(reloaded.get(a)).isNull();
        assertThat(reloaded.get(b)).isEqualTo(s.get(b));
        assertThat(reloaded.mutedBy(Labels.of("job", "api", "env", "prod"), clock.nowMs())).containsExactly(b);
    }
}
