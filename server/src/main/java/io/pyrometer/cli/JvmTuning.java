package io.pyrometer.cli;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gives {@code java -jar pyrometer.jar server} the runtime settings a long-running, memory-bound
 * server needs, without asking every user to pass JVM flags.
 *
 * <p>The JVM picks its collector and heap size from the machine, not from the workload: on a
 * 2-core, 24 GiB machine that is G1 with a 384 MiB initial heap, whose young generation alone can
 * touch 100-200 MiB, plus ~40 MiB of G1 bookkeeping, for a server whose live set is 60 MiB. These
 * settings cannot be changed once the JVM runs. So, before anything else starts, the server
 * replaces its own process image ({@code execv}, the same PID, so supervisors, {@code kill} and
 * {@code /proc} see one process) with the same command line plus {@link #FLAGS}, and {@link #ENV}
 * added to the environment where the user has not set those variables.
 *
 * <p>Nothing happens when the user chose any collector or heap setting themselves (on the command
 * line, in {@code JDK_JAVA_OPTIONS} or {@code JAVA_TOOL_OPTIONS}), when
 * {@code PYROMETER_JVM_TUNING=off} is set, outside Linux, or when the command line cannot be read;
 * a failed {@code execv} returns here and the server runs on the JVM's defaults.
 *
 * <p>Rejected alternatives: a launcher script (plain {@code java -jar}, the documented quick start,
 * would still get the defaults); a child JVM (two processes, signals and exit codes to forward,
 * monitoring tools measuring the wrong PID); setting manageable flags at run time (none of them
 * bounds G1's young generation; {@code Min/MaxHeapFreeRatio} were tried and raised RSS).
 */
final class JvmTuning {
    /** System property marking a JVM that already carries the flags (prevents a loop). */
    static final String MARKER = "pyrometer.jvm.tuned";
    static final String ENV_SWITCH = "PYROMETER_JVM_TUNING";

    /**
     * The serial collector with a small young generation and a heap grown only as the live set
     * grows. A TSDB head is a large, slowly growing set of long-lived objects plus little
     * per-scrape garbage (a young collection every ~10 s at 40k samples/s with a 6 MiB nursery,
     * a few milliseconds each); old collections are rare. Compact object headers (JDK 25) save 4
     * bytes per object. Native memory the JIT compilers freed goes back to the OS every 5 s
     * instead of staying in malloc's free lists. Measured with shared/bench/ingest.py: see
     * server/docs/ingest-performance.md.
     */
    static final List<String> FLAGS = List.of(
            "-XX:+UseSerialGC",
            "-Xms16m",
            "-Xmn6m",
            "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30",
            "-XX:+UseCompactObjectHeaders",
            "-XX:TrimNativeHeapInterval=5000");

    /**
     * Environment for the new image, set only where the user has not set the variable. glibc gives
     * each thread that mallocs its own 64 MiB arena (up to 8 per core); the JVM's compiler and GC
     * threads scatter a few MiB over each of them. Two arenas keep that native memory together.
     */
    static final java.util.Map<String, String> ENV = java.util.Map.of("MALLOC_ARENA_MAX", "2");

    private JvmTuning() {}

    /** Re-executes this process with {@link #FLAGS} when appropriate; returns only if it did not. */
    static void apply() {
        if (System.getProperty(MARKER) != null) return;
        if ("off".equalsIgnoreCase(System.getenv(ENV_SWITCH))) return;
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) return;
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (userChoseMemorySettings(jvmArgs)) return;
        Optional<String> exe = ProcessHandle.current().info().command();
        List<String> argv = readCmdline();
        if (exe.isEmpty() || argv.size() < 2) return;
        List<String> next = command(argv);
        System.out.flush();
        System.err.flush();
        execv(exe.get(), next); // returns only on failure
    }

    /** The new argument vector: the launcher name, our flags and marker, then the original arguments. */
    static List<String> command(List<String> argv) {
        List<String> next = new ArrayList<>(argv.size() + FLAGS.size() + 1);
        next.add(argv.getFirst());
        next.addAll(FLAGS);
        next.add("-D" + MARKER + "=true");
        next.addAll(argv.subList(1, argv.size()));
        return next;
    }

    /** Whether the JVM arguments already pick a collector or size the heap: the user's choice wins. */
    static boolean userChoseMemorySettings(List<String> jvmArgs) {
        for (String a : jvmArgs) {
            if (a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-Xmn")) return true;
            if (a.startsWith("-XX:+Use") && a.endsWith("GC")) return true;
            for (String p : List.of("MaxHeapSize", "InitialHeapSize", "MinHeapSize", "NewSize", "MaxNewSize",
                    "MaxRAM", "MinRAM", "InitialRAM")) {
                if (a.startsWith("-XX:" + p)) return true;
            }
            if (a.startsWith("-D" + MARKER)) return true;
        }
        return false;
    }

    private static List<String> readCmdline() {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    out.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static void execv(String path, List<String> argv) {
        try (Arena arena = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            MethodHandle exec = linker.downcallHandle(libc.find("execv").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            MethodHandle setenv = linker.downcallHandle(libc.find("setenv").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            for (var e : ENV.entrySet()) {
                int keepUsers = 0; // overwrite=0: a value the user set stays
                int unused = (int) setenv.invokeExact(arena.allocateFrom(e.getKey()), arena.allocateFrom(e.getValue()), keepUsers);
            }
            MethodHandle sigmask = linker.downcallHandle(libc.find("pthread_sigmask").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            MemorySegment args = arena.allocate(ValueLayout.ADDRESS, argv.size() + 1L);
            for (int i = 0; i < argv.size(); i++) args.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(argv.get(i)));
            args.setAtIndex(ValueLayout.ADDRESS, argv.size(), MemorySegment.NULL);
            // the JVM blocks SIGQUIT in its threads; the new image starts with a clean mask
            MemorySegment empty = arena.allocate(128); // sigset_t, all zero: no signal blocked
            int sigSetMask = 2; // SIG_SETMASK on Linux
            int ignored = (int) sigmask.invokeExact(sigSetMask, empty, MemorySegment.NULL);
            // an ignored signal stays ignored across execv, and the JVM installs no handler for a
            // signal it finds ignored: under nohup (SIGHUP ignored) reload-on-SIGHUP would never
            // work. Prometheus (Go) handles SIGHUP under nohup too, so give the new image the default
            MethodHandle signal = linker.downcallHandle(libc.find("signal").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            int sighup = 1;
            MemorySegment previous = (MemorySegment) signal.invokeExact(sighup, MemorySegment.NULL); // SIG_DFL

            int rc = (int) exec.invokeExact(arena.allocateFrom(path), args);
            System.err.println("pyrometer: could not re-execute with tuned JVM flags (execv returned " + rc
                    + "); running with the JVM's defaults. Set " + ENV_SWITCH + "=off to skip this step.");
        } catch (Throwable t) {
            System.err.println("pyrometer: could not re-execute with tuned JVM flags (" + t
                    + "); running with the JVM's defaults. Set " + ENV_SWITCH + "=off to skip this step.");
        }
    }
}
