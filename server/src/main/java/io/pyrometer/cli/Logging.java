package io.pyrometer.cli;

import java.time.Instant;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Routes {@link System.Logger} (backed by java.util.logging) to stderr as logfmt or JSON lines:
 * {@code time=... level=info source=Scrape msg="..." key=value}. Components write their
 * key=value pairs into the message; this class only frames them.
 */
public final class Logging {
    private Logging() {}

    /**
     * Makes log lines written during JVM shutdown (signal, {@code /-/quit}) reach stderr: by default
     * java.util.logging's own shutdown hook closes every handler while the server's hook is still
     * closing components, so nothing after SIGTERM was logged. Call before any logger exists.
     */
    public static void keepHandlersAtShutdown() {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
        }
    }

    /** A {@link LogManager} whose shutdown hook leaves the handlers in place (they flush per record). */
    public static final class ShutdownSafeLogManager extends LogManager {
        public ShutdownSafeLogManager() { }

        @Override
        public void reset() {
            if (Thread.currentThread().getClass().getName().equals("java.util.logging.LogManager$Cleaner")) return;
            super.reset();
        }
    }

    /** Configures the root logger from {@code --log.level} and {@code --log.format}. */
    public static void configure(String level, String format) {
        Level lvl = switch (level.toLowerCase(Locale.ROOT)) {
            case "debug" -> Level.FINE;
            case "info" -> Level.INFO;
            case "warn" -> Level.WARNING;
            case "error" -> Level.SEVERE;
            default -> throw new IllegalArgumentException("invalid --log.level \"" + level + "\": use debug, info, warn or error");
        };
        boolean json = switch (format) {
            case "logfmt" -> false;
            case "json" -> true;
            default -> throw new IllegalArgumentException("invalid --log.format \"" + format + "\": use logfmt or json");
        };
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        // a StreamHandler on stderr that flushes per record and never closes stderr
        // (ConsoleHandler.setOutputStream would close System.err)
        Handler h = new StreamHandler(System.err, new LineFormatter(json)) {
            @Override
            public synchronized void publish(LogRecord r) {
                super.publish(r);
                flush();
            }

            @Override
            public synchronized void close() {
                flush();
            }
        };
        h.setLevel(lvl);
        root.addHandler(h);
        root.setLevel(lvl);
        // third-party chatter stays at warn unless debugging
        if (lvl != Level.FINE) {
            Logger.getLogger("io.vertx").setLevel(Level.WARNING);
            Logger.getLogger("io.netty").setLevel(Level.WARNING);
        }
    }

    static final class LineFormatter extends Formatter {
        private final boolean json;

        LineFormatter(boolean json) { this.json = json; }

        @Override
        public String format(LogRecord r) {
            String msg = render(r.getMessage() == null ? "" : r.getMessage(), r.getParameters());
            String level = switch (r.getLevel().intValue()) {
                case 1000 -> "error";
                case 900 -> "warn";
                case 800 -> "info";
                default -> "debug";
            };
            String src = r.getLoggerName() == null ? "" : r.getLoggerName().substring(r.getLoggerName().lastIndexOf('.') + 1);
            // first word of the message is the text; key=value pairs follow it
            String text = msg, kv = "";
            int firstKv = firstKeyValue(msg);
            if (firstKv > 0) {
                text = msg.substring(0, firstKv).trim();
                kv = msg.substring(firstKv);
            }
            StringBuilder sb = new StringBuilder(128);
            String time = Instant.ofEpochMilli(r.getMillis()).toString();
            if (json) {
                sb.append("{\"time\":\"").append(time).append("\",\"level\":\"").append(level).append("\",\"source\":\"")
                        .append(src).append("\",\"msg\":\"").append(escape(text)).append("\",\"kv\":\"").append(escape(kv)).append("\"}");
            } else {
                sb.append("time=").append(time).append(" level=").append(level).append(" source=").append(src)
                        .append(" msg=\"").append(escape(text)).append('"');
                if (!kv.isEmpty()) sb.append(' ').append(kv);
            }
            if (r.getThrown() != null) sb.append(json ? "" : " err=\"" + escape(r.getThrown().toString()) + "\"");
            return sb.append('\n').toString();
        }

        private static int firstKeyValue(String msg) {
            int eq = msg.indexOf('=');
            if (eq < 0) return -1;
            int sp = msg.lastIndexOf(' ', eq);
            return sp < 0 ? -1 : sp + 1;
        }

        private static String escape(String s) {
            StringBuilder sb = new StringBuilder(s.length() + 8);
            appendEscaped(sb, s);
            return sb.toString();
        }

        /** Backslash-escapes what would end or break a double-quoted logfmt value. */
        static void appendEscaped(StringBuilder sb, String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '\\' -> sb.append("\\\\");
                    case '"' -> sb.append("\\\"");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                        else sb.append(c);
                    }
                }
            }
        }

        /** A trailing {@code [key={0}, key={1}]} group (the style of our exception messages) in a log pattern. */
        private static final java.util.regex.Pattern BRACKETED =
                java.util.regex.Pattern.compile(" \\[((?:[A-Za-z_][A-Za-z0-9_]*=[^,\\]\\[]*)(?:, [A-Za-z_][A-Za-z0-9_]*=[^,\\]\\[]*)*)\\]$");

        /**
         * The message of a record: the pattern's {@code {n}} placeholders replaced by their
         * parameters, each escaped for where it stands (inside {@code "..."}: quotes and newlines
         * escaped; bare after {@code key=}: quoted when it holds a space, quote, {@code =} or control
         * character, as logfmt needs), and a trailing {@code [k=v, k=v]} group turned into
         * {@code k=v k=v} pairs. Rendered from the pattern, not from the substituted text, so a
         * value can never be mistaken for a key or end a quoted string.
         */
        static String render(String pattern, Object[] params) {
            java.util.regex.Matcher m = BRACKETED.matcher(pattern);
            if (m.find()) pattern = pattern.substring(0, m.start()) + " " + m.group(1).replace(", ", " ");
            if (params == null || params.length == 0) return pattern;
            StringBuilder sb = new StringBuilder(pattern.length() + 32);
            int i = 0;
            while (i < pattern.length()) {
                char c = pattern.charAt(i);
                int close = c == '{' ? pattern.indexOf('}', i) : -1;
                int idx = close > i + 1 ? index(pattern, i + 1, close) : -1;
                if (idx < 0 || idx >= params.length) {
                    sb.append(c);
                    i++;
                    continue;
                }
                String v = String.valueOf(params[idx]);
                boolean quoted = i > 0 && pattern.charAt(i - 1) == '"';
                if (quoted) appendEscaped(sb, v);
                else if (needsQuotes(v)) {
                    sb.append('"');
                    appendEscaped(sb, v);
                    sb.append('"');
                } else sb.append(v);
                i = close + 1;
            }
            return sb.toString();
        }

        private static int index(String s, int from, int to) {
            int n = 0;
            for (int k = from; k < to; k++) {
                char d = s.charAt(k);
                if (d < '0' || d > '9' || k - from > 3) return -1;
                n = n * 10 + (d - '0');
            }
            return n;
        }

        private static boolean needsQuotes(String v) {
            if (v.isEmpty()) return true;
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                if (c <= ' ' || c == '"' || c == '=' || c == '\\') return true;
            }
            return false;
        }
    }
}
